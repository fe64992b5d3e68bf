# DAPT stage 2 on ARID (split 1) with the CLIP text-encoder classifier of the
# paper, for any backbone: the runtime, the ARID data, the stage-2 schedule,
# the head over ARID's class names and the lr of its pretrained text
# encoder. A config adds its stage-2 model piece and the stage-1 encoder:
#   _base_ = ['_base_/models/dapt_stage2_<backbone>.py',
#             '_base_/dapt_stage2_arid_text_head.py']
#   model = dict(cls_head=_base_.arid_text_head, init_cfg=...)
_base_ = ['default_runtime.py', 'models/clip_text_head.py',
          'datasets/arid_video.py', 'schedules/dapt_stage2.py']
arid_text_head = dict(_base_.clip_text_head, num_classes=11,
                      class_names=_base_.arid_classes)
# the text encoder is pretrained too: the lr of pretrained parts
optim_wrapper = dict(paramwise_cfg=dict(custom_keys={
    'cls_head.text_encoder': dict(lr_mult=0.1)}))
