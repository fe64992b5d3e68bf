# Baseline for configs/dapt_clip_toy_finetune.py: the same stage 2 straight
# from the stage-0 backbone, without DAPT (a new adapter, trained at the
# lr of new modules).
_base_ = ['dapt_clip_toy_finetune.py']
pretrained_checkpoint = 'work_dirs/pretrain_clip_toy_bright/epoch_15.pth'
model = dict(
    backbone=dict(pretrained=pretrained_checkpoint),
    init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
