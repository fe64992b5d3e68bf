"""Low-light enhancers, below both ``datasets`` and ``models``."""
from .base import FrameEnhancer  # noqa: F401
from .gamma import GammaCorrection  # noqa: F401
from .zero_dce import ZeroDCE  # noqa: F401
