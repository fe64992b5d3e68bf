# DL-KDD data pieces for CLIP ViT-B/16 (8 frames sampled uniformly, 224
# crops), to use with configs/baseline_clip_arid_finetune.py and its data.
# Enhancer choices as in dlkdd_r2plus1d_views.py.
dlkdd_zerodce_checkpoint = 'checkpoints/zerodce/Epoch99.pth'
dlkdd_enhancer = dict(type='ZeroDCEEnhance',
                      checkpoint=dlkdd_zerodce_checkpoint)
dlkdd_alpha = 0.5
dlkdd_kd_loss = dict(type='LogitKDLoss', temperature=4.0)

_pack = [dict(type='FormatShape', input_format='NCTHW'),
         dict(type='PackActionInputs')]
dlkdd_teacher_train_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomResizedCrop', area_range=(0.4, 1.0)),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5), dlkdd_enhancer, *_pack]
dlkdd_teacher_val_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 224)),
    dict(type='CenterCrop', crop_size=224), dlkdd_enhancer, *_pack]
dlkdd_teacher_test_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=2, test_mode=True),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 224)),
    dict(type='ThreeCrop', crop_size=224), dlkdd_enhancer, *_pack]
dlkdd_student_train_pipeline = [
    dict(type='DAPTMultiView', views=('original', 'enhanced'), clip_len=8,
         crop_size=224, sampler=dict(type='UniformSample'),
         area_range=(0.4, 1.0), flip_ratio=0.5, enhancer=dlkdd_enhancer),
    dict(type='PackDAPTViews')]
