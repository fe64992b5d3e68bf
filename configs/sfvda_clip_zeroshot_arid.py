# Source-free adaptation to ARID (Daily-DA) with CLIP zero-shot
# pseudo-labels (the paper's "a pretrained CLIP model labels the unlabeled
# target data"), then DAPT stage 2 on them: no source model at all.
#   tools/dist_train.sh configs/sfvda_clip_zeroshot_arid.py 8
_base_ = ['sfvda_dapt_clip_k600_arid.py',
          '_base_/models/clip_zero_shot_labeler.py']
custom_hooks = [dict(_base_.pseudo_label_hook, labeler=dict(
    type='ModelLabeler', model=_base_.clip_zero_shot_model))]
