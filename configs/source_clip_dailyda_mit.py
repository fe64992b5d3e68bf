# Source stage of Daily-DA adaptation (SFVDA MIT -> ARID; also one of the MSVDA
# sources): configs/source_clip_dailyda_k600.py on the Moments-in-Time clips.
_base_ = ['source_clip_dailyda_k600.py']
source = 'mit'
train_dataloader = dict(dataset=dict(ann_file=f'data/dailyda/{source}_train.txt'))
val_dataloader = dict(dataset=dict(ann_file=f'data/dailyda/{source}_train.txt'))
test_dataloader = dict(dataset=dict(ann_file=f'data/dailyda/{source}_test.txt'))
