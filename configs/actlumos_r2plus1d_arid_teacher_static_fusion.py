# ActLumos ablation (teacher): static fusion, the mean of the two streams'
# maps instead of DFF's learned per-position weights.
_base_ = ['actlumos_r2plus1d_arid_teacher.py']
model = dict(fusion='mean')
