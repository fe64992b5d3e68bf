# The toy test pipeline (8 frames spread over the clip, 64 centre crop) on
# its own, for configs whose data is something else but which evaluate on
# single clips too (e.g. the kNN hooks of configs/darkbench/dapt_stage1_toy.py).
file_client_args = dict(io_backend='disk')
toy_num_frames = 8
toy_crop_size = 64
toy_test_pipeline = [
    dict(type='DecordInit', **file_client_args),
    dict(type='UniformSample', clip_len=toy_num_frames, num_clips=1,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 72)),
    dict(type='CenterCrop', crop_size=toy_crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
