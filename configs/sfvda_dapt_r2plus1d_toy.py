# Source-free adaptation on the embedded toy data with DAPT: the same
# pseudo-labels as configs/sfvda_r2plus1d_toy.py, stage 2 from the DAPT
# encoder (stage 1 on the unlabeled dark clips, configs/dapt_r2plus1d_toy.py).
#   python tools/train.py configs/sfvda_dapt_r2plus1d_toy.py --cfg-options \
#       model.init_cfg.checkpoint=DAPT_ENCODER.pth \
#       custom_hooks.0.labeler.checkpoints=SOURCE.pth
_base_ = ['dapt_r2plus1d_toy_finetune.py',
          '_base_/pseudo_labels/toy_source_labeler.py']
train_dataloader = dict(dataset=dict(type='PseudoLabelVideoDataset',
                                     num_classes={{_base_.num_classes}}))
