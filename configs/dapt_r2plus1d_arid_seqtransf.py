# Table 4's ablation "frozen encoder + seqTransf":
# configs/dapt_r2plus1d_arid.py with ActionCLIP's temporal transformer over
# the frame embeddings in place of the progressive adapter (same
# self-distillation, views and schedule).
# Stage 2: configs/dapt_r2plus1d_arid_finetune_seqtransf.py.
_base_ = ['dapt_r2plus1d_arid.py']
model = dict(neck=dict(_base_.seq_transf_neck, _delete_=True))
