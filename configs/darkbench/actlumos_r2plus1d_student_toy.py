# DarkBench's ActLumos, step 3: the student (backbone from step 2) on the
# k-shot dark clips, CE + KD from the frozen teacher of step 1 on the dark
# + Retinex pair; selected on dark_val, tested on dark_test, dark frames
# alone.
#   python tools/train.py configs/darkbench/actlumos_r2plus1d_student_toy.py \
#       --cfg-options model.student.backbone.pretrained=SSL.pth \
#       model.teacher_checkpoint=TEACHER.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['../actlumos_r2plus1d_toy_student.py',
          '../_base_/datasets/darkbench_lists.py']
from dapt_mmaction.configs_helpers import darkbench_schedule  # noqa: E402
from dapt_mmaction.configs_helpers import split_loaders  # noqa: E402
model = dict(
    student=dict(cls_head=dict(num_classes=_base_.darkbench_num_classes)),
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_teacher_toy.py')
# the inherited loaders on the darkbench lists
train_dataloader, val_dataloader, test_dataloader = split_loaders(
    _base_.darkbench_lists)
max_epochs = 30
# validated every 5 epochs, lr 1e-3, the inherited decay over max_epochs
train_cfg, optim_wrapper, param_scheduler = darkbench_schedule(
    _base_.param_scheduler, max_epochs)
