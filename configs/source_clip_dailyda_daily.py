# Source stage of MSVDA Daily -> ARID: one model trained on the union of
# the three source domains (Kinetics-600, Moments-in-Time, HMDB51),
# validated on the union of their training lists' hold-outs.
#   tools/dist_train.sh configs/source_clip_dailyda_daily.py 8
_base_ = ['source_clip_dailyda_k600.py']
sources = ['kinetics', 'mit', 'hmdb51']


def _union(subset, pipeline, test_mode):
    # each source's training list, without or only its hold-out
    return dict(type='ConcatDataset', datasets=[
        dict(_base_.val_dataloader.dataset, subset=subset,
             ann_file=f'data/dailyda/{s}_train.txt', pipeline=pipeline,
             test_mode=test_mode) for s in sources])


train_dataloader = dict(dataset=dict(
    _delete_=True, **_union('train', _base_.train_pipeline, False)))
val_dataloader = dict(dataset=dict(
    _delete_=True, **_union('val', _base_.val_pipeline, True)))
test_dataloader = dict(dataset=dict(
    _delete_=True, type='ConcatDataset',
    datasets=[dict(_base_.test_dataloader.dataset,
                   ann_file=f'data/dailyda/{s}_test.txt') for s in sources]))
del _union
