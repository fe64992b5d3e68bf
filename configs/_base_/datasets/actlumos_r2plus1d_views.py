# ActLumos / DarkLight data pieces for R(2+1)D-34 (DarkLight's sampling: 64
# consecutive frames, 112 x 112). Two pixel-aligned streams come from one
# decode (DAPTMultiView): the dark clip and its enhanced copy (ActLumos:
# Retinex, MSRCR; DarkLight: gamma 1.8). Students test on dark clips alone.
actlumos_enhancer = dict(type='RetinexEnhance')
darklight_enhancer = dict(type='GammaEnhance', gamma=1.8)
_sample = dict(type='SampleFrames', clip_len=64, frame_interval=1)
_pair = dict(type='DAPTMultiView', views=('original', 'enhanced'),
             clip_len=64, crop_size=112, area_range=(0.5, 1.0),
             flip_ratio=0.5, sampler=dict(_sample, num_clips=1),
             enhancer=actlumos_enhancer)
# the whole frame resized to the crop, the clip in the middle of the video
_test_pair = dict(_pair, area_range=None, flip_ratio=0.0,
                  sampler=dict(_sample, num_clips=1, test_mode=True))
actlumos_pair_train_pipeline = [_pair, dict(type='PackDAPTViews')]
actlumos_pair_test_pipeline = [_test_pair, dict(type='PackDAPTViews')]
darklight_train_pipeline = [dict(_pair, enhancer=darklight_enhancer),
                            dict(type='PackDAPTViews')]
darklight_test_pipeline = [dict(_test_pair, enhancer=darklight_enhancer),
                           dict(type='PackDAPTViews')]
# self-supervised pairs: two clips of one video at different times, each
# with its own crop and flip
actlumos_ssl_pipeline = [
    dict(type='TemporalPairViews', clip_len=64, crop_size=112,
         area_range=(0.4, 1.0), flip_ratio=0.5),
    dict(type='PackDAPTViews')]
# the student's dark-only pipelines (no enhancer)
_decode = [dict(type='DecordInit'), dict(type='DecordDecode'),
           dict(type='Resize', scale=(-1, 128))]
_pack = [dict(type='FormatShape', input_format='NCTHW'),
         dict(type='PackActionInputs')]
# (train: the KD-free ablation, crops and flips as the teacher's pair)
actlumos_student_train_pipeline = [
    _decode[0], dict(_sample, num_clips=1), *_decode[1:],
    dict(type='RandomResizedCrop', area_range=_pair['area_range']),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='Flip', flip_ratio=_pair['flip_ratio']), *_pack]
actlumos_student_val_pipeline = [
    _decode[0], dict(_sample, num_clips=1, test_mode=True), *_decode[1:],
    dict(type='CenterCrop', crop_size=112), *_pack]
actlumos_student_test_pipeline = [
    _decode[0], dict(_sample, num_clips=2, test_mode=True), *_decode[1:],
    dict(type='ThreeCrop', crop_size=112), *_pack]
# DarkLight's optimiser (AdamW 1e-5, wd 1e-3), used by ActLumos too: its
# paper does not give its own (docs/actlumos.md)
actlumos_optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-5, weight_decay=1e-3),
    clip_grad=dict(max_norm=20))
