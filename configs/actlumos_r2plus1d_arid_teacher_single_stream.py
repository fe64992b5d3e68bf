# ActLumos ablation (teacher): one stream, the Retinex clips alone, no
# fusion and no SupCon (which pairs the two streams).
_base_ = ['actlumos_r2plus1d_arid_teacher.py']
model = dict(streams=('enhanced', ), fusion=None, supcon_loss=None)
