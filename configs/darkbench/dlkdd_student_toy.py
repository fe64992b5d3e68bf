# DarkBench's DL-KDD, step 2: the student, the source model fine-tuned on
# the k-shot *dark* clips with (1 - alpha) CE + alpha KD (T = 4) from the
# frozen teacher of dlkdd_teacher_toy.py on the pixel-aligned enhanced
# clips (one decode per clip); selected on dark_val, tested on dark clips
# alone (the plain test pipeline).
#   python tools/train.py configs/darkbench/dlkdd_student_toy.py \
#       --cfg-options model.student.init_cfg.0.checkpoint=SOURCE.pth \
#       model.teacher_checkpoint=TEACHER.pth \
#       train_dataloader.dataset.pipeline.0.enhancer.checkpoint=ZERODCE.pth
_base_ = ['r2plus1d_finetune_toy.py']

teacher_checkpoint = 'work_dirs/darkbench/dlkdd/seed0/teacher/best.pth'
zerodce_checkpoint = 'work_dirs/darkbench/zerodce/seed0/zerodce.pth'
model = dict(
    _delete_=True,
    type='DLKDDDistiller',
    student=_base_.model,
    teacher_config='{{ fileDirname }}/dlkdd_teacher_toy.py',
    teacher_checkpoint=teacher_checkpoint,
    # the teacher's weights are its checkpoint's, not the source's
    teacher_cfg_options={'model.init_cfg': None},
    alpha=0.5,
    kd_loss=dict(type='LogitKDLoss', temperature=4.0))
train_dataloader = dict(dataset=dict(pipeline=[
    dict(type='DAPTMultiView', views=('original', 'enhanced'),
         clip_len=_base_.num_frames, crop_size=_base_.crop_size,
         area_range=(0.5, 1.0), flip_ratio=0.0,
         enhancer=dict(type='ZeroDCEEnhance',
                       checkpoint=zerodce_checkpoint)),
    dict(type='PackDAPTViews')]))
