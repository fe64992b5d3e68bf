# The stage-1 model without its backbone: dapt_stage1_<backbone>.py adds
# `backbone`, `neck` and the normaliser's mean / std from a backbone piece
# (_base_/models/dapt_*.py); the distiller sets loss.out_dim from the neck.
model = dict(
    type='DAPTSelfDistiller',
    head=None,  # the paper distils the adapter's feature itself
    # the paper's eqs. 7-8: one tau, 0.1, for teacher and student, no
    # centring, the sum over every (teacher, student) pair, same view too
    loss=dict(
        type='DAPTDistillLoss',
        student_temp=0.1,
        teacher_temp=0.1,
        warmup_teacher_temp=None,
        center_momentum=None,
        skip_same_view=False,
        average_pairs=False),
    # the text of the paper (section 3.3); eq. 8 writes {o, e, l}
    teacher_views=('original', 'enhanced', 'mixed'),
    student_views=('original', 'enhanced', 'mixed', 'local'),
    base_momentum=0.996,  # weight of the old teacher, cosine to 1
    final_momentum=1.0,
    data_preprocessor=dict(type='MultiViewDataPreprocessor'))

# DINO's options, which the *_dino.py configs use instead: a sharper teacher
# (0.04 warming to 0.07) with centring, no same-view pairs, the mean over
# pairs (watch teacher_entropy and kl_teacher_student in the log)
dino_loss = dict(teacher_temp=0.07, warmup_teacher_temp=0.04,
                 warmup_iters=100, center_momentum=0.9, skip_same_view=True,
                 average_pairs=True)
