# The classifier of every DAPT setting in the paper (section 4.1): CLIP's
# text encoder (12 layers, width 512, 8 heads; OpenAI ViT-B/16 weights,
# downloaded by open_clip on first use) embeds prompts of the class names;
# a video's logits are its feature's similarities to them. The prompts are
# ours (the paper gives none). Configs add num_classes and class_names:
#   cls_head=dict(_base_.clip_text_head, num_classes=11,
#                 class_names=_base_.arid_classes)
clip_text_head = dict(
    type='CLIPTextClassifierHead',
    in_channels=512,  # the text width; the adapter's f is 512 wide
    templates=['a video of a person {}.', 'a dark video of a person {}.',
               'a person is doing {} in the dark.'],
    text_encoder=dict(type='CLIPTextEncoder', arch='ViT-B-16',
                      pretrained='openai', quick_gelu=True),
    average_clips='prob')
