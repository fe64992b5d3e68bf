# DAPT stage 1 on ARID (split 1) with the frozen backbone of
# _base_/models/dapt_r2plus1d_34.py: EMA teacher-student self-distillation of the
# progressive adapter over {original, enhanced, mixed, local} views.
#   tools/dist_train.sh configs/dapt_r2plus1d_arid.py 8
#   python tools/export_dapt_encoder.py work_dirs/dapt_r2plus1d_arid/epoch_30.pth \
#       work_dirs/dapt_r2plus1d_arid/dapt_encoder.pth
# Other splits: --cfg-options train_dataloader.dataset.ann_file=data/arid/split2_train.txt
_base_ = [
    '_base_/default_runtime.py', '_base_/models/dapt_r2plus1d_34.py',
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

# DarkLight's R(2+1)D-34 recipe: 64 frames at 112 x 112
crop_size = 112
local_crop_size = 64
train_dataloader = dict(
    batch_size=16,
    dataset=dict(pipeline=[
        dict(type='DAPTMultiView', views=('original', 'enhanced', 'mixed',
                                           'local'),
             clip_len=64, crop_size=112, local_clip_len=64,
             local_crop_size=64, sampler=dict(type='UniformSample'),
             area_range=(0.4, 1.0), local_area_range=(0.05, 0.4),
             flip_ratio=0.5,
             enhancer=dict(type='SCIEnhance',
                           checkpoint='checkpoints/sci/medium.pt'),
             patch_size=16, mask_mode='clip', short_video='repeat'),
        dict(type='PackDAPTViews'),
    ]))
