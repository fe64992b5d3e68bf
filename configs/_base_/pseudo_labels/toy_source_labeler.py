# Source-free pseudo-labels on the embedded toy data: the source model
# (configs/pretrain_r2plus1d_toy_bright.py, trained on the labeled bright
# clips) labels the dark training clips through SCI, keeping the 8 most
# confident clips of each class; every 5 epochs the model being trained
# relabels them (on the dark frames it trains on) with a wider cap.
# Without SCI the source model calls every dark clip one class (seed 0:
# 180 of 180); with it, argmax is 38 % right and the 8 most confident
# per class 90 % (42 clips).
# Point at another source model with
#   --cfg-options custom_hooks.0.labeler.checkpoints=PATH
# Pairs with a stage-2 toy config whose train dataset is
#   dict(type='PseudoLabelVideoDataset', num_classes=6)
_base_ = []  # none; the assignment lets a text-style config import helpers
from dapt_mmaction.configs_helpers import labeling_pipeline  # noqa: E402
source_checkpoint = 'work_dirs/pretrain_r2plus1d_toy_bright/epoch_30.pth'
sci_checkpoint = 'data/toy/sci_toy.pth'
custom_hooks = [
    dict(type='PseudoLabelHook',
         labeler=dict(type='ModelLabeler',
                      config='configs/pretrain_r2plus1d_toy_bright.py',
                      checkpoints=source_checkpoint),
         # as toy_video.py's test pipeline (8 frames, short side 72, 64 crop)
         pipeline=labeling_pipeline(72, 64, sci_checkpoint=sci_checkpoint),
         batch_size=8,
         topk_per_class=8,
         refresh=dict(interval=5, pipeline=labeling_pipeline(72, 64),
                      topk_per_class=20))
]
