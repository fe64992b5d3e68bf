# Human-centred pretraining (HumanPriorPretrainer) of the toy R(2+1)D
# (dapt_r2plus1d_tiny_toy.py, trainable): a dense parsing head on stage 2
# of 3 (16 x 16 cells for 64 x 64 crops, T / 2 frames) and a projection
# head on the last stage; both losses weighted 1 (the paper sums them).
_base_ = ['dapt_r2plus1d_tiny_toy.py']
num_parts = 5  # DarkBench's masks: background, head, torso, arms, legs
model = dict(
    type='HumanPriorPretrainer',
    backbone=_base_.trainable_backbone,
    num_parts=num_parts,
    parse_stage=1,
    proj_dims=(128, 64),
    lambda_parse=1.0,
    lambda_con=1.0,
    temperature=0.1,
    data_preprocessor=dict(type='ActionDataPreprocessor',
                           format_shape='NCTHW', **_base_.video_norm))
