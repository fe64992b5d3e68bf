# DAPT stage 2 on the embedded toy data: the labeled dark training clips,
# the bright-pretrained R(2+1)D and the stage-1 adapter (teacher), a new
# linear head; tested on the dark test clips.
#   python tools/export_dapt_encoder.py work_dirs/dapt_r2plus1d_toy/epoch_10.pth \
#       work_dirs/dapt_r2plus1d_toy/dapt_encoder.pth
#   python tools/train.py configs/dapt_r2plus1d_toy_finetune.py
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/dapt_stage2_r2plus1d_tiny_toy.py',
    '_base_/datasets/toy_video.py', '_base_/schedules/toy_supervised.py'
]
num_classes = 6
encoder_checkpoint = 'work_dirs/dapt_r2plus1d_toy/dapt_encoder.pth'
model = dict(
    cls_head=dict(type='TimeSformerHead', num_classes=num_classes,
                  in_channels=64, average_clips='prob'),
    init_cfg=dict(type='Pretrained', checkpoint=encoder_checkpoint))

dark = 'data/toy/dark'
train_dataloader = dict(dataset=dict(ann_file=f'{dark}_train.txt'))
# the toy data has no validation list: the val loop reports the training
# clips (in test mode) and selects nothing; the test list is for tools/test.py
val_dataloader = dict(dataset=dict(ann_file=f'{dark}_train.txt'))
test_dataloader = dict(dataset=dict(ann_file=f'{dark}_test.txt'))

max_epochs = 15
train_cfg = dict(max_epochs=max_epochs)
# as the paper: pretrained parts (backbone, stage-1 adapter) at 1/10 of the
# lr of new modules (the head). With the backbone frozen, neither the
# baseline nor DAPT got past chance on the dark toy clips.
optim_wrapper = dict(
    optimizer=dict(weight_decay=0.2),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1),
                                    'neck': dict(lr_mult=0.1)}))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=max_epochs, max_keep_ckpts=1,
                                     save_best=None))
