# DarkBench's ActLumos, step 1: the dual-stream teacher (dark + Retinex,
# DFF, SupCon), its backbone from the source model (r2plus1d_bright_toy.py),
# trained on the k labeled dark clips per class, selected on dark_val.
#   python tools/train.py configs/darkbench/actlumos_r2plus1d_teacher_toy.py \
#       --cfg-options model.backbone.pretrained=SOURCE.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['../actlumos_r2plus1d_toy_teacher.py',
          '../_base_/datasets/darkbench_lists.py']
from dapt_mmaction.configs_helpers import darkbench_schedule  # noqa: E402
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
model = dict(backbone=dict(pretrained=_base_.darkbench_source),
             cls_head=dict(num_classes=_base_.darkbench_num_classes))
# the inherited loaders on the darkbench lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.darkbench_lists)
max_epochs = 30
# validated every 5 epochs, lr 1e-3, the inherited decay over max_epochs
train_cfg, optim_wrapper, param_scheduler = darkbench_schedule(
    _base_.param_scheduler, max_epochs)
