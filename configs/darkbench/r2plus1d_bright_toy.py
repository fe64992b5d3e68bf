# DarkBench's source model: the narrow R(2+1)D-18 with the progressive
# adapter of the toy DAPT runs (_base_/models/dapt_stage2_r2plus1d_tiny_toy.py)
# on ARID's 11 classes, trained on the labeled bright source (bright_train),
# selected on bright_test, tested on dark_test (8 frames, 64 crop). Every
# DarkBench method starts from its checkpoint: DAPT freezes its backbone,
# the fine-tunes and the teacher-student methods train from it.
# tools/darkbench.py points the lists elsewhere with --cfg-options.
#   python tools/generate_darkbench_data.py data/darkbench
#   python tools/train.py configs/darkbench/r2plus1d_bright_toy.py
_base_ = ['../pretrain_r2plus1d_toy_bright.py']

data_root = 'data/darkbench'
video_root = f'{data_root}/videos'
train_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/bright_train.txt',
    data_prefix=dict(video=video_root)))
val_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/bright_test.txt',
    data_prefix=dict(video=video_root)))
test_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/dark_test.txt',
    data_prefix=dict(video=video_root)))

num_classes = 11
model = dict(cls_head=dict(num_classes=num_classes))
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
default_hooks = dict(checkpoint=dict(save_best='acc/top1', rule='greater'))
