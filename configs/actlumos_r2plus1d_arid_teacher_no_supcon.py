# ActLumos ablation (teacher): cross-entropy alone, no SupCon term.
_base_ = ['actlumos_r2plus1d_arid_teacher.py']
model = dict(supcon_loss=None)
