# ARID v1.0, one split, single view for stage 2 (fine-tuning) and testing:
# 8 frames sampled uniformly over the clip (sparse, as for CLIP ViT), 224
# crops. Testing runs single-stream on the dark frames (no SCI) with
# multi-clip (num_clips) x three-crop views averaged, as mmaction2 does.
# Lists: tools/convert_lists.py (docs/data.md); classes in label order.
data_root = 'data/arid'
split = 1
arid_classes = ['Drink', 'Jump', 'Pick', 'Pour', 'Push', 'Run', 'Sit',
                'Stand', 'Turn', 'Walk', 'Wave']
num_frames = 8  # not clip_len: model pieces define that name
test_clips = 2

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=num_frames, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomResizedCrop', area_range=(0.4, 1.0)),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
val_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=num_frames, num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 224)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
# the test views: num_clips clips x three crops of the validation pipeline
test_pipeline = [
    *val_pipeline[:1], dict(val_pipeline[1], num_clips=test_clips),
    *val_pipeline[2:4], dict(type='ThreeCrop', crop_size=224),
    *val_pipeline[5:]]

video_prefix = dict(video=f'{data_root}/clips_v1')
# validation never reads the test list: the val loop (and save_best) use a
# class-stratified 10 % hold-out of the training list, which training then
# does not see; the test list is for tools/test.py. To change the ratio, set
# it on both: --cfg-options train_dataloader.dataset.holdout_ratio=R
# val_dataloader.dataset.holdout_ratio=R
train_list = f'{data_root}/split{split}_train.txt'
holdout = dict(type='HoldoutVideoDataset', ann_file=train_list,
               holdout_ratio=0.1, holdout_seed=0, data_prefix=video_prefix)
train_dataloader = dict(
    batch_size=4, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(holdout, subset='train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(holdout, subset='val', pipeline=val_pipeline,
                 test_mode=True))
test_dataloader = dict(
    batch_size=1, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='VideoDataset',
                 ann_file=f'{data_root}/split{split}_test.txt',
                 data_prefix=video_prefix, pipeline=test_pipeline,
                 test_mode=True))
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
