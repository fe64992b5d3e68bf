# sfvda_toy.py from the DAPT start of dapt_finetune_toy.py: the source
# model with the stage-1 adapter loaded over it; the pseudo-labels are
# still the source model's (through SCI).
#   python tools/train.py configs/darkbench/sfvda_dapt_toy.py --cfg-options \
#       model.init_cfg.0.checkpoint=SOURCE.pth \
#       model.init_cfg.1.checkpoint=DAPT_ENCODER.pth \
#       custom_hooks.0.labeler.checkpoints=SOURCE.pth ...
_base_ = ['sfvda_toy.py']

encoder_checkpoint = 'work_dirs/darkbench/dapt/seed0/dapt_encoder.pth'
model = dict(init_cfg=_base_.model.init_cfg + [
    dict(type='Pretrained', checkpoint=encoder_checkpoint)])
