# DarkBench's DL-KDD, step 1: the teacher, the plain fine-tune
# (r2plus1d_finetune_toy.py: from the source, the k-shot dark clips,
# dark_val selection) on *enhanced* clips: Zero-DCE (the paper's enhancer),
# trained on the unlabeled dark pool by tools/train_zerodce.py, after
# decoding in every pipeline. tools/darkbench.py's dlkdd_sci row swaps in
# SCIEnhance with --cfg-options.
#   python tools/train_zerodce.py data/darkbench/dark_pool.txt \
#       --root data/darkbench/videos --out ZERODCE.pth
#   python tools/train.py configs/darkbench/dlkdd_teacher_toy.py \
#       --cfg-options model.init_cfg.0.checkpoint=SOURCE.pth \
#       train_dataloader.dataset.pipeline.3.checkpoint=ZERODCE.pth ...
_base_ = ['r2plus1d_finetune_toy.py']

zerodce_checkpoint = 'work_dirs/darkbench/zerodce/seed0/zerodce.pth'
enhancer = dict(type='ZeroDCEEnhance', checkpoint=zerodce_checkpoint)
# after DecordDecode (index 2), as r2plus1d_sci_test_toy.py
train_pipeline = _base_.train_pipeline[:3] + [enhancer] + \
    _base_.train_pipeline[3:]
test_pipeline = _base_.test_pipeline[:3] + [enhancer] + \
    _base_.test_pipeline[3:]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
