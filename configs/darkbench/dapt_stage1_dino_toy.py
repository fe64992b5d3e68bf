# dapt_stage1_toy.py with DINO's loss options instead of the paper's
# (a sharper, centred teacher warming 0.04 -> 0.07 over 40 steps, no
# same-view pairs, the mean over pairs) and a random-resized-crop original
# view (area 0.4-1), as configs/dapt_r2plus1d_arid_dino.py; the fine-tune
# after it is the same dapt_finetune_toy.py.
_base_ = ['dapt_stage1_toy.py']
model = dict(loss=dict(_base_.dino_loss, warmup_iters=40))
train_dataloader = dict(dataset=dict(pipeline=[
    dict(_base_.train_dataloader.dataset.pipeline[0], area_range=(0.4, 1.0)),
    *_base_.train_dataloader.dataset.pipeline[1:]]))
