# DarkBench's ActLumos, step 2: self-supervised pretraining (two clips of a
# video at different times, InfoNCE) of the source model's backbone on the
# unlabeled dark pool (dark_pool; labels unread). Its last epoch feeds
# step 3.
#   python tools/train.py \
#       configs/darkbench/actlumos_r2plus1d_student_ssl_toy.py \
#       --cfg-options model.backbone.pretrained=SOURCE.pth
_base_ = ['../actlumos_r2plus1d_toy_student_ssl.py',
          '../_base_/datasets/darkbench_lists.py']
model = dict(backbone=dict(pretrained=_base_.darkbench_source))
train_dataloader = _base_.darkbench_lists.pool
max_epochs = 20
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=max_epochs))
