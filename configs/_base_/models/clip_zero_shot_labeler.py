# CLIP zero-shot classification of videos, as a PseudoLabelHook labeler:
# the frozen OpenAI ViT-B/16 embeds each frame, the normalised frame
# embeddings are averaged, and the class is the most similar CLIP text
# embedding of the class-name prompts. No training, no checkpoint:
#   labeler=dict(type='ModelLabeler', model={{_base_.clip_zero_shot_model}})
# with `class_names` / `num_classes` set for the target data set
# (configs/sfvda_clip_zeroshot_arid.py).
clip_zero_shot_model = dict(
    type='DAPTRecognizer',
    backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                  pretrained='openai', quick_gelu=True, frozen=True),
    neck=dict(type='FrameEmbeddingPoolNeck'),
    cls_head=dict(
        type='CLIPTextClassifierHead',
        num_classes=8,
        in_channels=512,
        class_names=['drink', 'jump', 'pick', 'pour', 'push', 'run', 'walk',
                     'wave'],
        templates=['a video of a person {}.', 'a dark video of a person {}.',
                   'a person is doing {} in the dark.'],
        text_encoder=dict(type='CLIPTextEncoder', arch='ViT-B-16',
                          pretrained='openai', quick_gelu=True, frozen=True),
        average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           mean=[122.771, 116.746, 104.094],
                           std=[68.501, 66.632, 70.323],
                           format_shape='NCTHW'))
