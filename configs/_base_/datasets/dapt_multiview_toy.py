# DAPT stage-1 data on the embedded toy data (tools/generate_toy_data.py
# data/toy): the unlabeled dark training clips, each turned into the four
# views {original, enhanced, mixed, local} and packed as a dict of named
# views. Sizes are small so that it runs on a CPU; the real recipes use
# clip_len=8 (CLIP ViT) or 64 (R(2+1)D-34), crop_size=224, local 96.
#   python tools/visualize_views.py configs/dapt_clip_toy.py --num 4 --out DIR
# The model config pairs it with
#   data_preprocessor=dict(type='MultiViewDataPreprocessor')  # CLIP mean/std
_base_ = []  # none; the assignment lets a text-style config import helpers
from dapt_mmaction.configs_helpers import video_loader  # noqa: E402
dataset_type = 'VideoDataset'
data_root = 'data/toy'
video_root = f'{data_root}/videos'
target_domain = 'dark'
# SCI trained on the toy dark frames by tools/run_demo.sh
# (tools/train_sci.py); real data uses the released weights instead, as in
# arid_dapt_multiview.py
sci_checkpoint = 'data/toy/sci_toy.pth'
num_frames = 8  # not clip_len: model pieces define that name
crop_size = 64  # a multiple of patch_size
local_clip_len = 8
local_crop_size = 32
patch_size = 16

train_pipeline = [
    # opens the file itself, so a corrupt video is reported by name
    dict(type='DAPTMultiView',
         views=('original', 'enhanced', 'mixed', 'local'),
         clip_len=num_frames, crop_size=crop_size,
         local_clip_len=local_clip_len, local_crop_size=local_crop_size,
         sampler=dict(type='UniformSample'),
         area_range=(0.4, 1.0), local_area_range=(0.05, 0.4),
         # the toy classes are directions of motion: no horizontal flips
         flip_ratio=0.0,
         enhancer=dict(type='SCIEnhance', checkpoint=sci_checkpoint),
         patch_size=patch_size, mask_mode='clip', short_video='repeat'),
    dict(type='PackDAPTViews'),
]

# shuffled, 8 clips a step, one kept-alive worker
train_dataloader = video_loader(f'{data_root}/{target_domain}_train.txt',
                                video_root, train_pipeline, batch_size=8,
                                num_workers=1, dataset_type=dataset_type)
