# DarkBench's plain fine-tune: the whole source model (r2plus1d_bright_toy.py:
# backbone, adapter, classifier) trained further on the k labeled dark
# clips per class, selected on dark_val, tested once on dark_test.
# tools/darkbench.py writes the k-shot list per seed and passes it as
# train_dataloader.dataset.ann_file, the source as source_model_checkpoint's
# init_cfg entry. The DAPT fine-tune (dapt_finetune_toy.py) is this config
# with the stage-1 adapter loaded over the source's.
#   python tools/train.py configs/darkbench/r2plus1d_finetune_toy.py \
#       --cfg-options model.init_cfg.0.checkpoint=SOURCE.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['r2plus1d_bright_toy.py']

source_model_checkpoint = 'work_dirs/darkbench/source/seed0/best.pth'
# a list, so that a method can load more on top (applied in order)
model = dict(init_cfg=[dict(type='Pretrained',
                            checkpoint=source_model_checkpoint)])
train_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_train.txt'))
val_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_val.txt'))
max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
