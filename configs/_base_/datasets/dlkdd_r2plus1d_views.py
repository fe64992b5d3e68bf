# DL-KDD data pieces for R(2+1)D-34 (DarkLight's sampling: 64 consecutive
# frames, 112 x 112), to use with configs/baseline_r2plus1d_arid_finetune.py
# and its data. The teacher's enhancer is a choice: Zero-DCE (the paper's;
# the official weights, Li-Chongyi/Zero-DCE Zero-DCE_code/snapshots/
# Epoch99.pth, load as they are), SCI or gamma:
#   dict(type='SCIEnhance', checkpoint='checkpoints/sci/medium.pt')
#   dict(type='GammaEnhance', gamma=2.0)
dlkdd_zerodce_checkpoint = 'checkpoints/zerodce/Epoch99.pth'
dlkdd_enhancer = dict(type='ZeroDCEEnhance',
                      checkpoint=dlkdd_zerodce_checkpoint)
# the paper's text gives no alpha or T that we could read: Hinton's
# common choice, see docs/dl_kdd.md
dlkdd_alpha = 0.5
dlkdd_kd_loss = dict(type='LogitKDLoss', temperature=4.0)

_sample = dict(type='SampleFrames', clip_len=64, frame_interval=1)
_decode = [dict(type='DecordInit'), dict(type='DecordDecode'),
           dict(type='Resize', scale=(-1, 128))]
_pack = [dict(type='FormatShape', input_format='NCTHW'),
         dict(type='PackActionInputs')]
# the teacher learns and is tested on enhanced clips (enhanced after the
# crop, as the student's teacher view is)
dlkdd_teacher_train_pipeline = [
    _decode[0], dict(_sample, num_clips=1), *_decode[1:],
    dict(type='RandomCrop', size=112), dict(type='Flip', flip_ratio=0.5),
    dlkdd_enhancer, *_pack]
dlkdd_teacher_val_pipeline = [
    _decode[0], dict(_sample, num_clips=1, test_mode=True), *_decode[1:],
    dict(type='CenterCrop', crop_size=112), dlkdd_enhancer, *_pack]
dlkdd_teacher_test_pipeline = [
    _decode[0], dict(_sample, num_clips=2, test_mode=True), *_decode[1:],
    dict(type='ThreeCrop', crop_size=112), dlkdd_enhancer, *_pack]
# the student: one decode per clip, the dark view and the teacher's
# enhanced view of exactly the same frames and crop
dlkdd_student_train_pipeline = [
    dict(type='DAPTMultiView', views=('original', 'enhanced'), clip_len=64,
         crop_size=112, sampler=_sample, area_range=(0.5, 1.0),
         flip_ratio=0.5, enhancer=dlkdd_enhancer),
    dict(type='PackDAPTViews')]
