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
from dapt_mmaction.configs_helpers import labeling_pipeline  # noqa: E402
pseudo_label_hook = dict(
    type='PseudoLabelHook',
    labeler=None,
    # ARID's test-time clip: 8 frames, short side 224, 224 centre crop
    pipeline=labeling_pipeline(224, 224, sci_checkpoint=_base_.sci_checkpoint),
    centroid_iterations=1,
    topk_per_class=150,
    refresh=dict(interval=5, pipeline=labeling_pipeline(224, 224),
                 topk_per_class=300))
