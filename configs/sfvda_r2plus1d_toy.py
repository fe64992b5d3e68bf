# Source-free adaptation on the embedded toy data, without DAPT: stage 2
# from the source model on its pseudo-labels of the unlabeled dark
# training clips (_base_/pseudo_labels/toy_source_labeler.py); tested on
# the dark test clips.
#   python tools/train.py configs/sfvda_r2plus1d_toy.py --cfg-options \
#       model.backbone.pretrained=SOURCE.pth \
#       custom_hooks.0.labeler.checkpoints=SOURCE.pth
_base_ = ['baseline_r2plus1d_toy_finetune.py',
          '_base_/pseudo_labels/toy_source_labeler.py']
model = dict(backbone=dict(pretrained={{_base_.source_checkpoint}}))
# the list's labels are ignored (kept for pseudo-label accuracy only)
train_dataloader = dict(dataset=dict(type='PseudoLabelVideoDataset',
                                     num_classes={{_base_.num_classes}}))
