# DAPT stage 1 for Daily-DA adaptation: configs/dapt_clip_arid.py on the
# unlabeled training clips of Daily-DA's ARID domain (the target of every
# SFVDA / MSVDA task; its labels are not read).
#   tools/dist_train.sh configs/dapt_clip_dailyda_arid.py 8
#   python tools/export_dapt_encoder.py work_dirs/dapt_clip_dailyda_arid/epoch_30.pth \
#       work_dirs/dapt_clip_dailyda_arid/dapt_encoder.pth
_base_ = ['dapt_clip_arid.py', '_base_/datasets/dailyda_lists.py']
train_dataloader = dict(dataset=dict(
    ann_file='data/dailyda/arid_train.txt',
    data_prefix={{_base_.dailyda_videos}}))
