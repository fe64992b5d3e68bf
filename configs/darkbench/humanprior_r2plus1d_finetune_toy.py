# DarkBench's fine-tune after human-centred pretraining: the source model
# (r2plus1d_bright_toy.py: backbone, adapter, head) with its backbone
# replaced by the pretrained encoder (humanprior_r2plus1d_pretrain_toy.py),
# trained on the k labeled dark clips per class as DAPT's fine-tune, selected
# on dark_val, tested once on dark_test. init_cfg loads the source model at
# initialisation; load_from then overwrites every backbone.* tensor (its
# parse_head.* / proj_head.* keys are unused: no head of the pretraining
# task reaches the classifier).
#   python tools/train.py configs/darkbench/humanprior_r2plus1d_finetune_toy.py \
#       --cfg-options model.init_cfg.checkpoint=SOURCE.pth \
#       load_from=PRETRAIN/epoch_20.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['r2plus1d_bright_toy.py']

source_checkpoint = 'work_dirs/darkbench/source/seed0/best.pth'
model = dict(init_cfg=dict(type='Pretrained', checkpoint=source_checkpoint))
load_from = 'work_dirs/darkbench/humanprior/seed0/epoch_20.pth'
train_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_train.txt'))
val_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_val.txt'))
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
# as DAPT's fine-tune: pretrained parts at 1/10 of the head's lr
optim_wrapper = dict(
    optimizer=dict(weight_decay=0.2),
    paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1),
                                    'neck': dict(lr_mult=0.1)}))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
