# DarkLight on Dark-48 (split 1 of 3; lists from
# tools/convert_lists.py --format dark48):
# darklight_r2plus1d_arid.py on these lists.
_base_ = ['darklight_r2plus1d_arid.py',
          '_base_/datasets/dark48_lists.py']
train_dataloader = _base_.dark48_lists.train
val_dataloader = _base_.dark48_lists.val
test_dataloader = _base_.dark48_lists.test
model = dict(cls_head=dict(num_classes=48))
