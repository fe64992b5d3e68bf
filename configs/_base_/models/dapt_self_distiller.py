# The stage-1 model without its backbone: configs add `backbone`, `neck`,
# `loss.out_dim` (the adapter's out_channels) and the normaliser's
# mean / std from a backbone piece (_base_/models/dapt_*.py).
model = dict(
    type='DAPTSelfDistiller',
    head=None,  # the paper distils the adapter's feature itself
    loss=dict(
        type='DAPTDistillLoss',
        # DINO's settings, which the paper follows: a sharper teacher with
        # centring keeps the distillation from collapsing (watch
        # teacher_entropy and kl_teacher_student in the log)
        student_temp=0.1,
        teacher_temp=0.07,
        warmup_teacher_temp=0.04,
        warmup_iters=100,
        center_momentum=0.9,
        skip_same_view=True,
        average_pairs=True),
    # the text of the paper (section 3.3); eq. 8 writes {o, e, l}
    teacher_views=('original', 'enhanced', 'mixed'),
    student_views=('original', 'enhanced', 'mixed', 'local'),
    base_momentum=0.996,  # weight of the old teacher, cosine to 1
    final_momentum=1.0,
    data_preprocessor=dict(type='MultiViewDataPreprocessor'))
