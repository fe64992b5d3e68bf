# DarkBench's ActLumos, step 1: the dual-stream teacher (dark + Retinex,
# DFF, SupCon), its backbone from the source model (r2plus1d_bright_toy.py),
# trained on the k labeled dark clips per class, selected on dark_val.
#   python tools/train.py configs/darkbench/actlumos_r2plus1d_teacher_toy.py \
#       --cfg-options model.backbone.pretrained=SOURCE.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['../actlumos_r2plus1d_toy_teacher.py',
          '../_base_/datasets/darkbench_lists.py']
model = dict(backbone=dict(pretrained=_base_.darkbench_source),
             cls_head=dict(num_classes=_base_.darkbench_num_classes))
train_dataloader = _base_.darkbench_lists.train
val_dataloader = _base_.darkbench_lists.val
test_dataloader = _base_.darkbench_lists.test
max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
