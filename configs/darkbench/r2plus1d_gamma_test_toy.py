# DarkBench: the source model tested on gamma-corrected dark clips
# (GammaEnhance after decoding; nothing is trained).
#   python tools/test.py configs/darkbench/r2plus1d_gamma_test_toy.py SOURCE.pth
_base_ = ['r2plus1d_bright_toy.py']

# after DecordDecode (index 2)
test_pipeline = _base_.test_pipeline[:3] + [dict(type='GammaEnhance',
                                                  gamma=2.0)] + \
    _base_.test_pipeline[3:]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
