# configs/dapt_timesformer_arid.py with what we take from DINO instead of the
# paper's plain recipe: DINO's loss options (sharper centred teacher, no
# same-view pairs, mean over pairs), the frame shortcut in the adapter and a
# random-resized-crop original view (area 0.4-1). Stage 2:
# configs/dapt_timesformer_arid_finetune_dino.py.
_base_ = ['dapt_timesformer_arid.py']
model = dict(loss=_base_.dino_loss, neck=_base_.shortcut_neck)
train_dataloader = dict(dataset=dict(pipeline=[
    dict(_base_.train_dataloader.dataset.pipeline[0], area_range=(0.4, 1.0)),
    *_base_.train_dataloader.dataset.pipeline[1:]]))
