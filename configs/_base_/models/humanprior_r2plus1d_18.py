# The encoder of human-centred pretraining on real videos and of its
# fine-tune: mmaction2's R(2+1)D-18 layout, trainable, BN3d, ImageNet's
# mean / std on 0-255 RGB. Its last stage is 512 wide.
video_norm = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])
backbone = dict(type='R2Plus1DLayers', depth=18, frozen=False,
                pretrained=None, norm_cfg=dict(type='BN3d'))
feature_channels = 512
