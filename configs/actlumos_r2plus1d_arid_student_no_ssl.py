# ActLumos ablation (student): no self-supervised step, the KD fine-tune
# starts from the IG65M backbone itself.
_base_ = ['actlumos_r2plus1d_arid_student.py']
model = dict(student=dict(backbone=dict(
    pretrained=_base_.trainable_backbone.pretrained)))
