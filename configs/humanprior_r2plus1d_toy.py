# Human-centred pretraining on the embedded data's bright clips with the
# generator's body-part masks as the parsing targets (the ground truth; the
# DarkBench row uses a trained parser instead: configs/darkbench/).
#   python tools/generate_darkbench_data.py data/darkbench
#   python tools/train.py configs/humanprior_r2plus1d_toy.py
_base_ = [
    '_base_/default_runtime.py',
    '_base_/models/humanprior_r2plus1d_tiny_toy.py',
    '_base_/datasets/humanprior_clips.py', '_base_/schedules/toy_supervised.py'
]
max_epochs = 20
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs,
                 val_interval=max_epochs + 1)
val_cfg = None
test_cfg = None
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=1,
                                     save_best=None))
