# MSVDA Daily -> ARID with DAPT, labeled by the three single-source models
# (configs/source_clip_dailyda_{k600,mit,h51}.py, one architecture): their
# probabilities are averaged and their features concatenated for the
# centroid refinement.
_base_ = ['msvda_dapt_clip_daily_arid.py']
source_checkpoints = [f'work_dirs/source_clip_dailyda_{s}/epoch_30.pth'
                      for s in ('k600', 'mit', 'h51')]
custom_hooks = [dict(_base_.pseudo_label_hook, labeler=dict(
    type='ModelLabeler', config='configs/source_clip_dailyda_k600.py',
    checkpoints=source_checkpoints))]
