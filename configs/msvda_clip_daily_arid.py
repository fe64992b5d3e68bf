# The paper's MSVDA baseline without DAPT (table 2, "ActionCLIP"):
# configs/msvda_dapt_clip_daily_arid.py with stage 2 straight from OpenAI's
# CLIP ViT-B/16; the adapter is new (lr of new modules). 5 seeds, as there.
_base_ = ['msvda_dapt_clip_daily_arid.py']
model = dict(init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'neck': dict(lr_mult=1.0)}))
