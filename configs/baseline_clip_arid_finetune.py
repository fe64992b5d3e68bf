# Baseline for configs/dapt_clip_arid_finetune.py (the paper's "without
# DAPT"): the same stage 2 straight from OpenAI's CLIP ViT-B/16; the adapter
# is new, so it trains at the lr of new modules.
_base_ = ['dapt_clip_arid_finetune.py']
model = dict(init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'backbone': dict(lr_mult=0.1),
    'neck': dict(lr_mult=1.0),
    'cls_head.text_encoder': dict(lr_mult=0.1),
}))
