# DAPT stage 1 on the embedded toy data: the unlabeled dark training clips,
# four views each, a frozen tiny CLIP ViT, EMA self-distillation of the
# adapter. Runs in minutes on 2 CPU cores (the tests train it).
#   python tools/train.py configs/dapt_clip_toy.py [--cfg-options load_from=X]
# `load_from` brings a trained backbone (backbone.* keys); the adapters
# start fresh, identical in student and teacher.
_base_ = [
    '_base_/models/dapt_stage1_clip_tiny_toy.py',
    '_base_/datasets/dapt_multiview_toy.py',
    '_base_/schedules/dapt_stage1_toy.py'
]
# 8 epochs, a checkpoint after each
max_epochs = 8
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], T_max=max_epochs - 1, end=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2))
