# DAPT stage-1 data on ARID v1.0 (the unlabeled dark training clips of one
# split, labels unused). Convert the official lists first (docs/data.md):
#   python tools/convert_lists.py data/arid/list_cvt/ARID_split1_train.txt \
#       --format arid -o data/arid/split1_train.txt
_base_ = ['sci_medium.py']
from dapt_mmaction.configs_helpers import video_loader  # noqa: E402
dataset_type = 'VideoDataset'
data_root = 'data/arid'
split = 1
crop_size = 224
local_crop_size = 96
patch_size = 16
views = ('original', 'enhanced', 'mixed', 'local')
# 8 frames for CLIP ViT-B/16 and TimeSformer; configs/dapt_r2plus1d_arid.py
# takes the backbone piece's clip_len (64)
num_frames = 8

train_pipeline = [
    dict(type='DAPTMultiView',
         views=views,
         clip_len=num_frames,
         crop_size=crop_size,
         local_clip_len=num_frames,
         local_crop_size=local_crop_size,
         sampler=dict(type='UniformSample'),
         area_range=None,  # whole frames (section 3.1), resized
         local_area_range=(0.05, 0.4),
         flip_ratio=0.5,
         enhancer=dict(type='SCIEnhance', checkpoint=_base_.sci_checkpoint),
         patch_size=patch_size,
         mask_mode='clip',
         short_video='repeat'),
    dict(type='PackDAPTViews'),
]
# shuffled, 16 clips a step per process, 8 kept-alive workers
train_dataloader = video_loader(f'{data_root}/split{split}_train.txt',
                                f'{data_root}/clips_v1', train_pipeline,
                                batch_size=16, num_workers=8,
                                dataset_type=dataset_type)
