# DarkLight on the toy data: dark + gamma (1.8) streams, 2 + 2 tokens into
# the one-layer BERT; both streams at test time.
#   python tools/train.py configs/darklight_r2plus1d_toy.py
_base_ = ['actlumos_r2plus1d_toy_teacher.py']
model = dict(_base_.darklight, _delete_=True)
_gamma = dict(type='GammaEnhance', gamma=1.8)
train_dataloader = dict(dataset=dict(pipeline=[
    dict(_base_.pair_train_pipeline[0], enhancer=_gamma),
    _base_.pair_train_pipeline[1]]))
_test_pipeline = [dict(_base_.pair_test_pipeline[0], enhancer=_gamma),
                  _base_.pair_test_pipeline[1]]
val_dataloader = dict(dataset=dict(pipeline=_test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=_test_pipeline))
