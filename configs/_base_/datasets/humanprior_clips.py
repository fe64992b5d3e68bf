# Pretraining data of human-centred pretraining: two clips of each video
# (the contrastive positives) with their parsing maps, cropped and flipped
# alike (ParsingAligned). maps_root None reads the masks the DarkBench
# generator writes beside each clip; else tools/extract_parsing_maps.py's
# cache. Configs set ann_file, video_root and maps_root.
dataset_type = 'VideoDataset'
video_root = 'data/darkbench/videos'
ann_file = 'data/darkbench/bright_train.txt'
maps_root = None
num_frames = 8
crop_size = 64
train_pipeline = [
    dict(type='DecordInit', io_backend='disk'),
    dict(type='SampleFrames', clip_len=num_frames, frame_interval=1,
         num_clips=2),
    dict(type='DecordDecode'),
    dict(type='LoadParsingMaps', maps_root=maps_root, video_root=video_root),
    dict(type='ParsingAligned', transforms=[
        dict(type='Resize', scale=(-1, 72)),
        dict(type='RandomResizedCrop', area_range=(0.4, 1.0)),
        dict(type='Resize', scale=(crop_size, crop_size), keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5)]),
    dict(type='FormatParsingMaps'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs', meta_keys=('img_shape', 'parsing')),
]
train_dataloader = dict(
    batch_size=8, num_workers=1, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file,
                 data_prefix=dict(video=video_root),
                 pipeline=train_pipeline))
# pretraining has no labels to validate on: configs set val_cfg=None
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None
