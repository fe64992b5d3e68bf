# DarkBench's source-free adaptation, no dark labels at all: the source
# model (r2plus1d_bright_toy.py) pseudo-labels the unlabeled dark pool
# through SCI (PseudoLabelHook: the 8 most confident clips per class, then
# every 5 epochs the model being trained relabels on dark frames, 20 per
# class), and the plain fine-tune's model trains on them from the source.
# The setting has no target labels, so nothing selects a checkpoint: the
# last one is tested.
#   python tools/train.py configs/darkbench/sfvda_toy.py --cfg-options \
#       model.init_cfg.0.checkpoint=SOURCE.pth \
#       custom_hooks.0.labeler.checkpoints=SOURCE.pth \
#       custom_hooks.0.pipeline.3.checkpoint=SCI.pt \
#       train_dataloader.dataset.ann_file=POOL.txt
_base_ = ['r2plus1d_finetune_toy.py',
          '../_base_/pseudo_labels/toy_source_labeler.py']

custom_hooks = [dict(
    _base_.custom_hooks[0],
    labeler=dict(_base_.custom_hooks[0].labeler,
                 config='configs/darkbench/r2plus1d_bright_toy.py',
                 checkpoints=_base_.source_model_checkpoint))]
# the list's labels are ignored (kept for pseudo-label accuracy only)
train_dataloader = dict(dataset=dict(
    type='PseudoLabelVideoDataset', num_classes=_base_.num_classes,
    ann_file=f'{_base_.data_root}/dark_pool.txt'))
max_epochs = 15
# no validation: it would need the target labels the setting lacks
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs + 1)
val_dataloader = None
val_cfg = None
val_evaluator = None
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=max_epochs, save_best=None,
                                     max_keep_ckpts=1))
