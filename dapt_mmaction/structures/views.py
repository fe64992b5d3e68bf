"""The view contract between the data pipeline and the models.

``DAPTMultiView`` makes the views of one clip, ``PackDAPTViews`` packs them
(``inputs[<view>]``) with the metainfo keys below, and
``MultiViewDataPreprocessor`` / ``DAPTSelfDistiller`` read them back.
"""

#: The views of one clip, in display (and packing) order.
ORIGINAL, ENHANCED, MIXED, LOCAL = 'original', 'enhanced', 'mixed', 'local'
VIEW_NAMES = (ORIGINAL, ENHANCED, MIXED, LOCAL)
#: Views derived from the original view's frames by the enhancer.
ENHANCED_VIEWS = (ENHANCED, MIXED)

#: Metainfo / results keys: the views made for the sample, the ones left to
#: the data preprocessor on the device, and the mixed view's patch mask
#: (bool ``M x gh x gw``, True where the patch is original).
VIEWS_KEY = 'dapt_views'
DEVICE_VIEWS_KEY = 'dapt_device_views'
MIX_MASK_KEY = 'mix_mask'

#: The two clips of one video that ``TemporalPairViews`` makes for
#: self-supervised pretraining (``DarkClipSSL``), in packing order.
PAIR_VIEWS = ('clip_a', 'clip_b')
