from .dapt_multi_view import DAPTMultiView  # noqa: F401
from .pack_dapt_views import PackDAPTViews  # noqa: F401
from .enhance_frames import BaseEnhanceTransform, SCIEnhance  # noqa: F401
from .gamma_enhance import GammaEnhance  # noqa: F401
from .zero_dce_enhance import ZeroDCEEnhance  # noqa: F401
from .retinex_enhance import RetinexEnhance  # noqa: F401
from .temporal_pair_views import TemporalPairViews  # noqa: F401
from .clip_standardize import ClipStandardize  # noqa: F401
from .parsing_maps import (FormatParsingMaps, LoadParsingMaps,  # noqa: F401
                           ParsingAligned)
