# DL-KDD step 2 on ARID (split 1): the same classifier on the dark clips,
# taught by the frozen teacher of dlkdd_r2plus1d_arid_teacher.py (its last
# epoch) on the pixel-aligned enhanced clips; tested on dark clips alone.
#   tools/dist_train.sh configs/dlkdd_r2plus1d_arid_student.py 8
#   python tools/test.py configs/dlkdd_r2plus1d_arid_student.py CHECKPOINT
_base_ = ['baseline_r2plus1d_arid_finetune.py',
          '_base_/datasets/dlkdd_r2plus1d_views.py']
model = dict(
    _delete_=True, type='DLKDDDistiller', student={{_base_.model}},
    teacher_config='{{ fileDirname }}/dlkdd_r2plus1d_arid_teacher.py',
    teacher_checkpoint='work_dirs/dlkdd_r2plus1d_arid_teacher/epoch_30.pth',
    alpha={{_base_.dlkdd_alpha}}, kd_loss={{_base_.dlkdd_kd_loss}})
train_dataloader = dict(dataset=dict(
    pipeline={{_base_.dlkdd_student_train_pipeline}}))
