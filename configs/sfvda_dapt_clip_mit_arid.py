# SFVDA MIT -> ARID (Daily-DA) with DAPT: configs/sfvda_dapt_clip_k600_arid.py
# with the Moments-in-Time source model (configs/source_clip_dailyda_mit.py).
_base_ = ['sfvda_dapt_clip_k600_arid.py']
source_config = 'configs/source_clip_dailyda_mit.py'
source_checkpoint = 'work_dirs/source_clip_dailyda_mit/epoch_30.pth'
custom_hooks = [
    dict(type='PseudoLabelHook',
         labeler=dict(type='ModelLabeler', config=source_config,
                      checkpoints=source_checkpoint),
         pipeline={{_base_.label_pipeline}},
         centroid_iterations={{_base_.label_selection.centroid_iterations}},
         topk_per_class={{_base_.label_selection.topk_per_class}},
         refresh={{_base_.label_refresh}})
]
