from .dapt_multi_view import DAPTMultiView  # noqa: F401
from .pack_dapt_views import PackDAPTViews  # noqa: F401
from .enhance_frames import BaseEnhanceTransform, SCIEnhance  # noqa: F401
