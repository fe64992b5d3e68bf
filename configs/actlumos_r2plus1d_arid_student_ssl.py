# ActLumos step 2: self-supervised pretraining of the student's backbone on
# the dark training clips of ARID and Dark-48 together, labels unread: two
# clips of each video at different times with different crops, InfoNCE
# (SupConLoss without labels). No validation: the last epoch feeds step 3.
#   tools/dist_train.sh configs/actlumos_r2plus1d_arid_student_ssl.py 8
_base_ = [
    '_base_/default_runtime.py', '_base_/models/actlumos_r2plus1d_34.py',
    '_base_/datasets/arid_video.py', '_base_/datasets/dark48_lists.py',
    '_base_/datasets/actlumos_r2plus1d_views.py',
    '_base_/schedules/dapt_stage2.py'
]
model = _base_.actlumos_ssl
optim_wrapper = dict(_base_.actlumos_optim_wrapper, _delete_=True)
_arid = dict(_base_.train_dataloader.dataset,
             pipeline=_base_.actlumos_ssl_pipeline)
_dark48 = dict(type='VideoDataset', pipeline=_base_.actlumos_ssl_pipeline,
               ann_file=_base_.dark48_lists.train.dataset.ann_file,
               data_prefix=_base_.dark48_lists.train.dataset.data_prefix)
ssl_datasets = dict(arid=_arid, dark48=_dark48)
train_dataloader = dict(dataset=dict(
    _delete_=True, type='ConcatDataset', datasets=[_arid, _dark48]))
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop',
                 max_epochs=_base_.max_epochs, val_interval=10**9)
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=1,
                                     save_best=None))
