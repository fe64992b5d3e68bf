# DL-KDD on the embedded toy data, step 2: the student, the same narrow
# R(2+1)D-18 on the *dark* clips, taught by the frozen teacher of
# configs/dlkdd_r2plus1d_toy_teacher.py on the pixel-aligned enhanced clips
# (one decode per clip). It tests on dark clips alone (no enhancer).
#   python tools/train.py configs/dlkdd_r2plus1d_toy_student.py
#   python tools/test.py configs/dlkdd_r2plus1d_toy_student.py \
#       work_dirs/dlkdd_r2plus1d_toy_student/epoch_40.pth
_base_ = ['dlkdd_r2plus1d_toy_teacher.py']

teacher_checkpoint = 'work_dirs/dlkdd_r2plus1d_toy_teacher/epoch_40.pth'
model = dict(
    _delete_=True,
    type='DLKDDDistiller',
    student={{_base_.model}},
    teacher_config='{{ fileDirname }}/dlkdd_r2plus1d_toy_teacher.py',
    teacher_checkpoint=teacher_checkpoint,
    alpha=0.5,
    kd_loss=dict(type='LogitKDLoss', temperature=4.0))

train_pipeline = [
    # one decode, one crop: 'enhanced' is the teacher's enhancer on exactly
    # the frames of 'original'
    dict(type='DAPTMultiView', views=('original', 'enhanced'), clip_len=8,
         crop_size=64, area_range=(0.5, 1.0), flip_ratio=0.0,
         enhancer={{_base_.enhancer}}),
    dict(type='PackDAPTViews'),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 72)),
    dict(type='CenterCrop', crop_size=64),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
