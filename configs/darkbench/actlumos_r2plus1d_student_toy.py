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
model = dict(
    student=dict(cls_head=dict(num_classes=_base_.darkbench_num_classes)),
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_teacher_toy.py')
train_dataloader = _base_.darkbench_lists.train
val_dataloader = _base_.darkbench_lists.val
test_dataloader = _base_.darkbench_lists.test
max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
