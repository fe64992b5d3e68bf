# The embedded toy data (tools/generate_toy_data.py data/toy), one clip per
# video, single view. Train on one domain, test on the other with
#   --cfg-options test_dataloader.dataset.ann_file=data/toy/dark_test.txt
# The toy classes are directions of motion: no horizontal flips here.
_base_ = ['toy_test_pipeline.py']
from dapt_mmaction.configs_helpers import video_loader  # noqa: E402
dataset_type = 'VideoDataset'
data_root = 'data/toy'
video_root = f'{data_root}/videos'
train_domain = 'bright'
test_domain = 'dark'
# 8 frames spread uniformly over the clip, as the multi-view stage-1 data
num_frames = _base_.toy_num_frames  # not clip_len: model pieces use it
crop_size = _base_.toy_crop_size

file_client_args = _base_.file_client_args
train_pipeline = [
    dict(type='DecordInit', **file_client_args),
    dict(type='UniformSample', clip_len=num_frames, num_clips=1),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 72)),
    dict(type='RandomCrop', size=crop_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs'),
]
test_pipeline = _base_.toy_test_pipeline

# shuffled, 8 clips a step, one kept-alive worker
train_dataloader = video_loader(f'{data_root}/{train_domain}_train.txt',
                                video_root, train_pipeline, batch_size=8,
                                num_workers=1, dataset_type=dataset_type)
# val and test: the training loader unshuffled, on the test lists
val_dataloader = dict(
    train_dataloader, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(train_dataloader['dataset'],
                 ann_file=f'{data_root}/{train_domain}_test.txt',
                 pipeline=test_pipeline, test_mode=True))
test_dataloader = dict(val_dataloader, dataset=dict(
    val_dataloader['dataset'], ann_file=f'{data_root}/{test_domain}_test.txt'))
val_evaluator = dict(type='AccMetric')
test_evaluator = val_evaluator
