# configs/dapt_r2plus1d_toy.py with table 4's "encoder trained in stage 1":
# the ablation on the embedded toy data (the tests train it).
_base_ = ['dapt_r2plus1d_toy.py']
model = dict(train_backbone=True, backbone=dict(frozen=False))
