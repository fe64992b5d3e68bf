# DarkBench: the source model tested on SCI-enhanced dark clips, SCI trained
# on the unlabeled dark pool by tools/train_sci.py (tools/darkbench.py passes
# its checkpoint as test_dataloader.dataset.pipeline.3.checkpoint).
#   python tools/train_sci.py data/darkbench/dark_pool.txt \
#       --root data/darkbench/videos --out work_dirs/darkbench/sci.pt
#   python tools/test.py configs/darkbench/r2plus1d_sci_test_toy.py SOURCE.pth
_base_ = ['r2plus1d_bright_toy.py']

sci_checkpoint = 'work_dirs/darkbench/sci.pt'
test_pipeline = _base_.test_pipeline[:3] + [dict(
    type='SCIEnhance', checkpoint=sci_checkpoint)] + _base_.test_pipeline[3:]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
