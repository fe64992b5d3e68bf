# ActLumos on the toy data, step 3: the student (SSL backbone of step 2)
# fine-tuned on dark clips with CE + KD from the frozen teacher of step 1
# on the dark + Retinex pair; tested on dark clips alone.
#   python tools/train.py configs/actlumos_r2plus1d_toy_student.py
#   python tools/test.py configs/actlumos_r2plus1d_toy_student.py CKPT
_base_ = ['actlumos_r2plus1d_toy_teacher.py']
ssl_checkpoint = 'work_dirs/actlumos_r2plus1d_toy_student_ssl/epoch_30.pth'
model = dict(
    _delete_=True, type='DLKDDDistiller',
    student=dict(_base_.actlumos_student,
                 backbone=dict(_base_.trainable_backbone,
                               pretrained=ssl_checkpoint)),
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_toy_teacher.py',
    teacher_checkpoint='work_dirs/actlumos_r2plus1d_toy_teacher/epoch_30.pth',
    teacher_view=('original', 'enhanced'), alpha=0.5,
    kd_loss=dict(type='LogitKDLoss', temperature=4.0))
val_dataloader = dict(dataset=dict(pipeline=_base_.test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_base_.test_pipeline))
