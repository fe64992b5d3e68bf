# DAPT stage 2 on ARID (split 1) as the paper has it (section 4.1):
# R(2+1)D-34 with the stage-1 adapter, the CLIP text-encoder classifier, the
# stage-1 sampling (64 frames spread over the clip), 224 x 224.
#   tools/dist_train.sh configs/dapt_r2plus1d_arid_finetune.py 8
_base_ = ['_base_/models/dapt_stage2_r2plus1d_34.py',
          '_base_/dapt_stage2_arid_text_head.py']
encoder_checkpoint = 'work_dirs/dapt_r2plus1d_arid/dapt_encoder.pth'
model = dict(cls_head=_base_.arid_text_head,
             init_cfg=dict(type='Pretrained', checkpoint=encoder_checkpoint))


def _frames(pipeline):
    # the backbone's clip_len frames instead of the data piece's 8
    return [dict(t, clip_len=_base_.clip_len) if t['type'] == 'UniformSample'
            else t for t in pipeline]


train_dataloader = dict(dataset=dict(pipeline=_frames(_base_.train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=_frames(_base_.val_pipeline)))
test_dataloader = dict(dataset=dict(pipeline=_frames(_base_.test_pipeline)))
del _frames
