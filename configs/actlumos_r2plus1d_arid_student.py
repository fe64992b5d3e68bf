# ActLumos step 3 on ARID (split 1): the student, its backbone from step 2
# (SSL), fine-tuned on dark clips with CE + KD from the frozen teacher of
# step 1 on the pixel-aligned dark + Retinex pair; tested on dark clips
# alone (no enhancer, no teacher in the test graph or the checkpoint).
#   tools/dist_train.sh configs/actlumos_r2plus1d_arid_student.py 8
#   python tools/test.py configs/actlumos_r2plus1d_arid_student.py CKPT
_base_ = ['actlumos_r2plus1d_arid_teacher.py']
ssl_checkpoint = 'work_dirs/actlumos_r2plus1d_arid_student_ssl/epoch_30.pth'
model = dict(
    _delete_=True, type='DLKDDDistiller',
    student=dict(_base_.actlumos_student,
                 backbone=dict(_base_.trainable_backbone,
                               pretrained=ssl_checkpoint)),
    teacher_config='{{ fileDirname }}/actlumos_r2plus1d_arid_teacher.py',
    teacher_checkpoint='work_dirs/actlumos_r2plus1d_arid_teacher/epoch_30.pth',
    teacher_view=('original', 'enhanced'),
    # CE + KD with equal weights (lambda_kd = 1), T = 4
    alpha=0.5, kd_loss=dict(type='LogitKDLoss', temperature=4.0))
val_dataloader = dict(dataset=dict(
    pipeline=_base_.actlumos_student_val_pipeline))
test_dataloader = dict(dataset=dict(
    pipeline=_base_.actlumos_student_test_pipeline))
