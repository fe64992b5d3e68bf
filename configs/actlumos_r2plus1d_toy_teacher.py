# ActLumos on the embedded toy data, step 1: the dual-stream teacher (dark
# + Retinex, DFF, SupCon) on the narrow toy R(2+1)D, dark_train / dark_test.
#   python tools/generate_toy_data.py data/toy
#   python tools/train.py configs/actlumos_r2plus1d_toy_teacher.py
_base_ = ['_base_/default_runtime.py',
          '_base_/models/actlumos_r2plus1d_tiny_toy.py',
          '_base_/datasets/toy_video.py',
          '_base_/schedules/toy_supervised.py']
train_domain = 'dark'
model = _base_.actlumos_teacher
_pair = dict(type='DAPTMultiView', views=('original', 'enhanced'),
             clip_len=8, crop_size=64, area_range=(0.5, 1.0),
             flip_ratio=0.0, enhancer=dict(type='RetinexEnhance'))
_test_pair = dict(_pair, area_range=None,
                  sampler=dict(type='UniformSample', test_mode=True))
pair_train_pipeline = [_pair, dict(type='PackDAPTViews')]
pair_test_pipeline = [_test_pair, dict(type='PackDAPTViews')]
train_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_train.txt',
    pipeline=pair_train_pipeline))
# the toy data has no validation list: the val loop (and save_best) use the
# training clips in test mode; the test list is for tools/test.py
val_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_train.txt',
    pipeline=pair_test_pipeline))
test_dataloader = dict(dataset=dict(
    ann_file=f'{_base_.data_root}/dark_test.txt',
    pipeline=pair_test_pipeline))
default_hooks = dict(checkpoint=dict(save_best='acc/top1', rule='greater'))
