# Stage 0 of the toy paradigm: supervised training of a narrow R(2+1)D-18
# with the adapter on the labeled bright clips. Its backbone stands in for a
# large pretrained model in the toy runs of DAPT
# (configs/dapt_r2plus1d_toy.py) and of the baseline
# (configs/baseline_r2plus1d_toy_finetune.py).
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/dapt_stage2_r2plus1d_tiny_toy.py',
    '_base_/datasets/toy_video.py', '_base_/schedules/toy_supervised.py'
]
num_classes = 6
model = dict(cls_head=dict(type='TimeSformerHead', num_classes=num_classes,
                           in_channels=64, average_clips='prob'))
