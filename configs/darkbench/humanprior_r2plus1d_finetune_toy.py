# DarkBench's fine-tune after human-centred pretraining: the source model
# (r2plus1d_bright_toy.py: backbone, adapter, head) with its backbone
# replaced by the pretrained encoder (humanprior_r2plus1d_pretrain_toy.py),
# then exactly the plain and DAPT fine-tune (r2plus1d_finetune_toy.py: the
# k-shot dark clips, dark_val selection, dark_test once). init_cfg loads the
# source model at initialisation; load_from then overwrites every backbone.* tensor (its
# parse_head.* / proj_head.* keys are unused: no head of the pretraining
# task reaches the classifier).
#   python tools/train.py configs/darkbench/humanprior_r2plus1d_finetune_toy.py \
#       --cfg-options model.init_cfg.0.checkpoint=SOURCE.pth \
#       load_from=PRETRAIN/epoch_20.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['r2plus1d_finetune_toy.py']

load_from = 'work_dirs/darkbench/humanprior/seed0/pretrain/epoch_20.pth'
