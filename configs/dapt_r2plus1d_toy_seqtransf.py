# configs/dapt_r2plus1d_toy.py with table 4's seqTransf in place of the
# adapter: the ablation on the embedded toy data (the tests train it).
_base_ = ['dapt_r2plus1d_toy.py']
model = dict(neck=dict(_base_.seq_transf_neck, _delete_=True))
