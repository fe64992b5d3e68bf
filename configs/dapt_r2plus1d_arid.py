# DAPT stage 1 on ARID (split 1) with the frozen backbone of
# _base_/models/dapt_r2plus1d_34.py: EMA teacher-student self-distillation of the
# progressive adapter over {original, enhanced, mixed, local} views.
#   tools/dist_train.sh configs/dapt_r2plus1d_arid.py 8
#   python tools/export_dapt_encoder.py work_dirs/dapt_r2plus1d_arid/epoch_30.pth \
#       work_dirs/dapt_r2plus1d_arid/dapt_encoder.pth
# Other splits: --cfg-options train_dataloader.dataset.ann_file=data/arid/split2_train.txt
_base_ = [
    '_base_/models/dapt_stage1_r2plus1d_34.py',
    '_base_/datasets/arid_dapt_multiview.py', '_base_/schedules/dapt_stage1.py'
]

# the paper: 64 frames sampled sparsely, as for stage 2 (the backbone
# piece's clip_len), views 224 / 96
train_dataloader = dict(dataset=dict(pipeline=[
    dict(_base_.train_pipeline[0], clip_len=_base_.clip_len,
         local_clip_len=_base_.clip_len),
    *_base_.train_pipeline[1:]]))
