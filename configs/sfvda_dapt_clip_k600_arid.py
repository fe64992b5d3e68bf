# SFVDA K600 -> ARID (Daily-DA) with DAPT: stage 2 from the DAPT encoder of
# configs/dapt_clip_dailyda_arid.py on pseudo-labels of ARID's training
# clips given by the Kinetics-600 source model
# (configs/source_clip_dailyda_k600.py); tested on ARID's test list.
# Without source data: only the source model's weights are used.
#   tools/dist_train.sh configs/sfvda_dapt_clip_k600_arid.py 8
#   python tools/test.py configs/sfvda_dapt_clip_k600_arid.py \
#       work_dirs/sfvda_dapt_clip_k600_arid/epoch_30.pth
#   python tools/dailyda_results.py sfvda work_dirs/sfvda_dapt_clip_*_arid
_base_ = ['dapt_clip_arid_finetune.py', '_base_/datasets/dailyda_lists.py',
          '_base_/pseudo_labels/dailyda_arid_labeling.py']
encoder_checkpoint = 'work_dirs/dapt_clip_dailyda_arid/dapt_encoder.pth'
source_config = 'configs/source_clip_dailyda_k600.py'
source_checkpoint = 'work_dirs/source_clip_dailyda_k600/epoch_30.pth'
num_classes = 8
model = dict(cls_head=dict(num_classes=num_classes,
                           class_names={{_base_.dailyda_classes}}),
             init_cfg=dict(checkpoint=encoder_checkpoint))
# the ARID list's labels are ignored (pseudo-label accuracy only)
train_dataloader = dict(dataset=dict(
    _delete_=True, type='PseudoLabelVideoDataset', num_classes=num_classes,
    ann_file='data/dailyda/arid_train.txt',
    data_prefix={{_base_.dailyda_videos}}, pipeline=_base_.train_pipeline))
# no target labels to select with: no validation, the last checkpoint
val_cfg = val_dataloader = val_evaluator = None
default_hooks = dict(checkpoint=dict(save_best=None))
test_dataloader = dict(dataset=dict(ann_file='data/dailyda/arid_test.txt',
                                    data_prefix={{_base_.dailyda_videos}}))
custom_hooks = [dict(_base_.pseudo_label_hook, labeler=dict(
    type='ModelLabeler', config=source_config, checkpoints=source_checkpoint))]
