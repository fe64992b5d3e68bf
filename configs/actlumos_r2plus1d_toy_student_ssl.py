# ActLumos on the toy data, step 2: self-supervised pretraining of the
# student's backbone on the dark training clips, labels unread (two clips
# of a video at different times, InfoNCE). No validation.
#   python tools/train.py configs/actlumos_r2plus1d_toy_student_ssl.py
_base_ = ['actlumos_r2plus1d_toy_teacher.py']
model = dict(_base_.actlumos_ssl, _delete_=True)
ssl_pipeline = [
    dict(type='TemporalPairViews', clip_len=8, crop_size=64,
         area_range=(0.4, 1.0), flip_ratio=0.0),
    dict(type='PackDAPTViews')]
train_dataloader = dict(dataset=dict(pipeline=ssl_pipeline))
train_cfg = dict(_delete_=True, type='EpochBasedTrainLoop',
                 max_epochs=_base_.max_epochs, val_interval=10**9)
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None
default_hooks = dict(checkpoint=dict(save_best=None, max_keep_ckpts=1,
                                     interval=_base_.max_epochs))
