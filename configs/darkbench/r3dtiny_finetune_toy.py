# DarkBench's plain fine-tune: the source model (r3dtiny_bright_toy.py)
# trained further on the k labeled dark clips per class, selected on
# dark_val, tested once on dark_test. tools/darkbench.py writes the k-shot
# list per seed and passes it as train_dataloader.dataset.ann_file.
#   python tools/train.py configs/darkbench/r3dtiny_finetune_toy.py \
#       --cfg-options load_from=SOURCE.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['r3dtiny_bright_toy.py']

load_from = 'work_dirs/darkbench/source/seed0/best.pth'
train_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_train.txt'))
val_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_val.txt'))
max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(_base_.param_scheduler[0], T_max=max_epochs)]
