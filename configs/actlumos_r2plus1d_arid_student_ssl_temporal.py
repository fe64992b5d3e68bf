# ActLumos ablation (SSL): temporal-only pairs, two times of a video
# under one crop (its KD step: actlumos_r2plus1d_arid_student.py with
# --cfg-options model.student.backbone.pretrained=<this run's checkpoint>).
_base_ = ['actlumos_r2plus1d_arid_student_ssl.py']
_pair = dict(_base_.actlumos_ssl_pipeline[0], different_crops=False)
train_dataloader = dict(dataset=dict(datasets=[
    dict(d, pipeline=[_pair, _base_.actlumos_ssl_pipeline[1]])
    for d in _base_.train_dataloader.dataset.datasets]))
