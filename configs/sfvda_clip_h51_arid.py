# The paper's SFVDA baseline without DAPT (tables 2-3, "ActionCLIP"):
# configs/sfvda_dapt_clip_h51_arid.py with stage 2 straight from OpenAI's
# CLIP ViT-B/16 (no stage-1 encoder); the adapter is new, so it trains at
# the lr of new modules. Same pseudo-labels, same last-checkpoint test.
_base_ = ['sfvda_dapt_clip_h51_arid.py']
model = dict(init_cfg=None)
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'neck': dict(lr_mult=1.0)}))
