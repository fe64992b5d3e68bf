# ActLumos ablation (student): no KD. The student of step 3 (its backbone
# from the SSL step, the BERT head) fine-tuned on the dark clips with CE
# alone: no teacher, no Retinex stream, in training or testing.
_base_ = ['actlumos_r2plus1d_arid_student.py']
model = dict(_base_.model.student, _delete_=True)
train_dataloader = dict(dataset=dict(
    pipeline=_base_.actlumos_student_train_pipeline))
