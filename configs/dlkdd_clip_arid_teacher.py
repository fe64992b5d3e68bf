# DL-KDD step 1 on ARID (split 1; tools/arid_splits.py runs all three): the
# teacher, the project's CLIP ViT-B/16 classifier
# (configs/baseline_clip_arid_finetune.py),
# trained and tested on enhanced clips.
#   tools/dist_train.sh configs/dlkdd_clip_arid_teacher.py 8
_base_ = ['baseline_clip_arid_finetune.py',
          '_base_/datasets/dlkdd_clip_views.py']
from dapt_mmaction.configs_helpers import pipeline_loaders  # noqa: E402
# the inherited loaders with the teacher's pipelines (enhanced clips)
train_dataloader, val_dataloader, test_dataloader = pipeline_loaders(
    _base_.dlkdd_teacher_train_pipeline, _base_.dlkdd_teacher_val_pipeline,
    _base_.dlkdd_teacher_test_pipeline)
