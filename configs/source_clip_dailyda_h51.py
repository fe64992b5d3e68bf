# Source stage of Daily-DA adaptation (SFVDA H51 -> ARID; also one of the MSVDA
# sources): configs/source_clip_dailyda_k600.py on the HMDB51 clips.
_base_ = ['source_clip_dailyda_k600.py']
source = 'hmdb51'
train_dataloader = dict(dataset=dict(ann_file=f'data/dailyda/{source}_train.txt'))
val_dataloader = dict(dataset=dict(ann_file=f'data/dailyda/{source}_train.txt'))
test_dataloader = dict(dataset=dict(ann_file=f'data/dailyda/{source}_test.txt'))
