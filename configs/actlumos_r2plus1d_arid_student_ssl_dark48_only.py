# ActLumos ablation (SSL): the dark clips of Dark-48 alone (the default
# pretrains on ARID and Dark-48 together).
_base_ = ['actlumos_r2plus1d_arid_student_ssl.py']
train_dataloader = dict(dataset=dict(_delete_=True,
                                     **_base_.ssl_datasets.dark48))
