# Pseudo-labeling of Daily-DA's ARID domain (the unlabeled target) for
# the adaptation configs: the labeler's pipeline is the ARID test-time one
# (8 frames, 224 centre crop) with SCI first, because the source models
# were trained on well-lit video (on the toy data, a bright model labels
# every dark clip one class without SCI and 38 % right with it). Selection:
# SHOT-style centroid refinement, then the most confident clips per class;
# every 5 epochs the model being trained relabels (dark frames, no SCI).
# These settings are untuned on ARID. Configs add the labeler:
#   custom_hooks = [dict(_base_.pseudo_label_hook, labeler=dict(...))]
_base_ = ['../datasets/sci_medium.py']


def _pipeline(enhance):
    return [
        dict(type='DecordInit'),
        dict(type='UniformSample', clip_len=8, num_clips=1, test_mode=True),
        dict(type='DecordDecode'),
        *([dict(type='SCIEnhance', checkpoint=_base_.sci_checkpoint)]
          if enhance else []),
        dict(type='Resize', scale=(-1, 224)),
        dict(type='CenterCrop', crop_size=224),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs'),
    ]


pseudo_label_hook = dict(
    type='PseudoLabelHook',
    labeler=None,
    pipeline=_pipeline(enhance=True),
    centroid_iterations=1,
    topk_per_class=150,
    refresh=dict(interval=5, pipeline=_pipeline(enhance=False),
                 topk_per_class=300))
del _pipeline
