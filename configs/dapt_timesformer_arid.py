# DAPT stage 1 on ARID (split 1) with the frozen backbone of
# _base_/models/dapt_timesformer.py: EMA teacher-student self-distillation of the
# progressive adapter over {original, enhanced, mixed, local} views.
#   tools/dist_train.sh configs/dapt_timesformer_arid.py 8
#   python tools/export_dapt_encoder.py work_dirs/dapt_timesformer_arid/epoch_30.pth \
#       work_dirs/dapt_timesformer_arid/dapt_encoder.pth
# Other splits: --cfg-options train_dataloader.dataset.ann_file=data/arid/split2_train.txt
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_timesformer.py',
    '_base_/datasets/arid_dapt_multiview.py', '_base_/schedules/dapt_stage1.py'
]

model = dict(
    type='DAPTSelfDistiller',
    backbone={{_base_.backbone}},
    neck={{_base_.neck}},
    head=None,  # the paper distils the adapter's feature itself
    loss=dict(
        type='DAPTDistillLoss',
        out_dim={{_base_.neck.out_channels}},
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
    data_preprocessor=dict(type='MultiViewDataPreprocessor',
                           mean={{_base_.video_norm.mean}},
                           std={{_base_.video_norm.std}}))
# no labels, so no validation: keep the last checkpoints only
default_hooks = dict(checkpoint=dict(interval=5, save_best=None,
                                     max_keep_ckpts=3))
