# DAPT stage 2 on ARID (split 1): CLIP ViT-B/16 with the stage-1 adapter,
# classified by similarity to CLIP text embeddings of the class names.
#   python tools/export_dapt_encoder.py work_dirs/dapt_clip_arid/epoch_30.pth \
#       work_dirs/dapt_clip_arid/dapt_encoder.pth
#   tools/dist_train.sh configs/dapt_clip_arid_finetune.py 8
#   python tools/test.py configs/dapt_clip_arid_finetune.py \
#       work_dirs/dapt_clip_arid_finetune/best_acc_top1_epoch_*.pth
_base_ = ['_base_/models/dapt_stage2_clip_vit_b16.py',
          '_base_/dapt_stage2_arid_text_head.py']
encoder_checkpoint = 'work_dirs/dapt_clip_arid/dapt_encoder.pth'
model = dict(
    cls_head=_base_.arid_text_head,
    # backbone.* and neck.* from stage 1 (teacher); the backbone's own
    # pretrained='openai' weights are loaded first and overwritten by the
    # identical frozen copy in the export
    init_cfg=dict(type='Pretrained', checkpoint=encoder_checkpoint))
