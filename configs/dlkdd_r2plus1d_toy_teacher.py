# DL-KDD on the embedded toy data, step 1: the teacher, a narrow R(2+1)D-18
# trained (from scratch) and tested on *enhanced* dark clips.
#   python tools/train_zerodce.py data/toy/dark_train.txt --root \
#       data/toy/videos --out data/toy/zerodce_toy.pth --steps 200
#   python tools/train.py configs/dlkdd_r2plus1d_toy_teacher.py
# The enhancer is a choice here (the student config reuses it):
#   Zero-DCE (the paper's), dict(type='SCIEnhance', checkpoint=...) or
#   dict(type='GammaEnhance', gamma=2.0).
_base_ = ['baseline_r3dtiny_toy.py']  # its schedule, data and sizes

zerodce_checkpoint = 'data/toy/zerodce_toy.pth'
enhancer = dict(type='ZeroDCEEnhance', checkpoint=zerodce_checkpoint)
train_domain = 'dark'
# the same narrow network with (2+1)D convolutions
model = dict(backbone=dict(type='ResNet2Plus1d',
                           conv_cfg=dict(type='Conv2plus1d'),
                           norm_cfg=dict(type='BN3d', requires_grad=True,
                                         eps=1e-3)))

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 72)),
    dict(type='RandomCrop', size=64), enhancer,
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 72)),
    dict(type='CenterCrop', crop_size=64), enhancer,
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')]
train_dataloader = dict(dataset=dict(
    ann_file=f'data/toy/{train_domain}_train.txt', pipeline=train_pipeline))
# the toy data has no validation list: the val loop reports the training
# clips (in test mode) and selects nothing; the test list is for tools/test.py
val_dataloader = dict(dataset=dict(
    ann_file=f'data/toy/{train_domain}_train.txt', pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(
    ann_file=f'data/toy/{train_domain}_test.txt', pipeline=test_pipeline))

default_hooks = dict(checkpoint=dict(interval={{_base_.max_epochs}},
                                     save_best=None, max_keep_ckpts=1))
