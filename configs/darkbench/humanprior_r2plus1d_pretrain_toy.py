# DarkBench's human-centred pretraining: the source model's backbone
# (r2plus1d_bright_toy.py) trained further on the unlabeled dark pool with
# the parsing maps of a parser trained on the bright clips' masks, applied
# to the dark pool through an enhancer (docs/human_prior.md):
#   python tools/train_parsing.py data/darkbench/bright_train.txt \
#       data/darkbench/videos work_dirs/darkbench/parser \
#       --val-list data/darkbench/bright_test.txt
#   python tools/extract_parsing_maps.py data/darkbench/dark_pool.txt \
#       data/darkbench/videos work_dirs/darkbench/parsing \
#       --config work_dirs/darkbench/parser/parser.py \
#       --checkpoint work_dirs/darkbench/parser/parser.pth \
#       --enhancer "dict(type='GammaCorrection', gamma=2.2)"
#   python tools/train.py configs/darkbench/humanprior_r2plus1d_pretrain_toy.py \
#       --cfg-options model.backbone.pretrained=SOURCE.pth
_base_ = ['../humanprior_r2plus1d_toy.py']

data_root = 'data/darkbench'
video_root = f'{data_root}/videos'
maps_root = 'work_dirs/darkbench/parsing'
source_checkpoint = 'work_dirs/darkbench/source/seed0/best.pth'
train_pipeline = _base_.train_pipeline
train_pipeline[3] = dict(type='LoadParsingMaps', maps_root=maps_root,
                         video_root=video_root)
train_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/dark_pool.txt',
    data_prefix=dict(video=video_root), pipeline=train_pipeline))
model = dict(backbone=dict(pretrained=source_checkpoint))
# the source backbone is trained already: a tenth of the toy lr
optim_wrapper = dict(optimizer=dict(lr=3e-4))
