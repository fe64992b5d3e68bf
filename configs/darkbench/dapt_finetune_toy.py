# DarkBench's DAPT fine-tune: exactly the plain fine-tune
# (r2plus1d_finetune_toy.py: the k-shot dark clips, dark_val selection),
# starting from the source model with the stage-1 encoder
# (tools/export_dapt_encoder.py: backbone.* and the adapter neck.*) loaded
# over it; only the adapter differs from the plain fine-tune's start.
#   python tools/train.py configs/darkbench/dapt_finetune_toy.py \
#       --cfg-options model.init_cfg.0.checkpoint=SOURCE.pth \
#       model.init_cfg.1.checkpoint=DAPT_ENCODER.pth \
#       train_dataloader.dataset.ann_file=KSHOT.txt
_base_ = ['r2plus1d_finetune_toy.py']

encoder_checkpoint = 'work_dirs/darkbench/dapt/seed0/dapt_encoder.pth'
model = dict(init_cfg=_base_.model.init_cfg + [
    dict(type='Pretrained', checkpoint=encoder_checkpoint)])
