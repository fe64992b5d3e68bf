# DarkBench's normalise-only control: the source model trained and tested
# with every clip standardised (ClipStandardize: one per-channel mean and
# std per clip), no enhancement and no dark labels.
#   python tools/train.py configs/darkbench/r2plus1d_standardize_toy.py
_base_ = ['r2plus1d_bright_toy.py']

standardize = dict(type='ClipStandardize')
# before FormatShape and PackActionInputs
train_pipeline = _base_.train_pipeline[:-2] + [standardize] + \
    _base_.train_pipeline[-2:]
test_pipeline = _base_.test_pipeline[:-2] + [standardize] + \
    _base_.test_pipeline[-2:]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
