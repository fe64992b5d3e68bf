# MSVDA Daily -> ARID (Daily-DA) with DAPT: as the SFVDA configs, with
# pseudo-labels from the model trained on the union of the three sources
# (configs/source_clip_dailyda_daily.py). Report mean +- std over 5 seeds:
#   for s in 0 1 2 3 4; do tools/dist_train.sh configs/msvda_dapt_clip_daily_arid.py 8 \
#       --seed $s --work-dir work_dirs/msvda_dapt_clip_daily_arid/seed$s; done
#   python tools/dailyda_results.py msvda work_dirs/msvda_dapt_clip_daily_arid/seed*
# configs/msvda_dapt_clip_ensemble_arid.py averages the three single-source
# models instead.
_base_ = ['sfvda_dapt_clip_k600_arid.py']
source_config = 'configs/source_clip_dailyda_daily.py'
source_checkpoint = 'work_dirs/source_clip_dailyda_daily/epoch_30.pth'
custom_hooks = [dict(_base_.pseudo_label_hook, labeler=dict(
    type='ModelLabeler', config=source_config, checkpoints=source_checkpoint))]
