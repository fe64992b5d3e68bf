# DAPT stage 1 on ARID (split 1) with the frozen backbone of
# _base_/models/dapt_timesformer.py: EMA teacher-student self-distillation of the
# progressive adapter over {original, enhanced, mixed, local} views.
#   tools/dist_train.sh configs/dapt_timesformer_arid.py 8
#   python tools/export_dapt_encoder.py work_dirs/dapt_timesformer_arid/epoch_30.pth \
#       work_dirs/dapt_timesformer_arid/dapt_encoder.pth
# Other splits: --cfg-options train_dataloader.dataset.ann_file=data/arid/split2_train.txt
_base_ = [
    '_base_/models/dapt_stage1_timesformer.py',
    '_base_/datasets/arid_dapt_multiview.py', '_base_/schedules/dapt_stage1.py'
]
