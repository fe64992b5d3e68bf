# DAPT stage 1 on the embedded toy data with the narrow R(2+1)D of
# configs/pretrain_r2plus1d_toy_bright.py (frozen): the unlabeled dark
# training clips, four views each, EMA self-distillation of the adapter.
#   python tools/train.py configs/dapt_r2plus1d_toy.py \
#       --cfg-options load_from=work_dirs/pretrain_r2plus1d_toy_bright/epoch_30.pth
_base_ = [
    '_base_/models/dapt_stage1_r2plus1d_tiny_toy.py',
    '_base_/datasets/dapt_multiview_toy.py',
    '_base_/schedules/dapt_stage1_toy.py'
]
