# DAPT stage 1 on ARID (split 1) with the frozen backbone of
# _base_/models/dapt_timesformer.py: EMA teacher-student self-distillation of the
# progressive adapter over {original, enhanced, mixed, local} views.
#   tools/dist_train.sh configs/dapt_timesformer_arid.py 8
#   python tools/export_dapt_encoder.py work_dirs/dapt_timesformer_arid/epoch_30.pth \
#       work_dirs/dapt_timesformer_arid/dapt_encoder.pth
# Other splits: --cfg-options train_dataloader.dataset.ann_file=data/arid/split2_train.txt
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_timesformer.py',
    '_base_/datasets/arid_dapt_multiview.py', '_base_/schedules/dapt_stage1.py',
    '_base_/models/dapt_self_distiller.py'
]

model = dict(
    backbone={{_base_.backbone}},
    neck={{_base_.neck}},
    loss=dict(out_dim={{_base_.neck.out_channels}}),
    data_preprocessor=dict(mean={{_base_.video_norm.mean}},
                           std={{_base_.video_norm.std}}))
# no labels, so no validation: keep the last checkpoints only
default_hooks = dict(checkpoint=dict(interval=5, save_best=None,
                                     max_keep_ckpts=3))
