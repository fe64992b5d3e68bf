# Source stage of MSVDA Daily -> ARID: one model trained on the union of
# the three source domains (Kinetics-600, Moments-in-Time, HMDB51),
# validated on the union of their test lists.
#   tools/dist_train.sh configs/source_clip_dailyda_daily.py 8
_base_ = ['source_clip_dailyda_k600.py']
sources = ['kinetics', 'mit', 'hmdb51']


def _union(split, pipeline, test_mode):
    return dict(type='ConcatDataset', datasets=[
        dict(type='VideoDataset', ann_file=f'data/dailyda/{s}_{split}.txt',
             data_prefix=dict(video='data/dailyda/videos'),
             pipeline=pipeline, test_mode=test_mode) for s in sources])


train_dataloader = dict(dataset=dict(
    _delete_=True, **_union('train', {{_base_.train_pipeline}}, False)))
val_dataloader = dict(dataset=dict(
    _delete_=True, **_union('test', {{_base_.val_pipeline}}, True)))
test_dataloader = dict(dataset=dict(
    _delete_=True, **_union('test', {{_base_.test_pipeline}}, True)))
del _union
