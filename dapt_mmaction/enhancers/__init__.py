"""Low-light frame enhancers (below ``datasets`` and ``models``).

Each is a :class:`FrameEnhancer`: ``enhance(x)`` on the device,
``enhance_uint8(frames)`` on decoded frames in a transform.
"""
from .base import FrameEnhancer  # noqa: F401
from .sci_net import SCINet  # noqa: F401
from .sci_training_net import SCITrainingNet  # noqa: F401
from .gamma import GammaCorrection  # noqa: F401
from .zero_dce import ZeroDCE  # noqa: F401
from .retinex import MSRCRetinex  # noqa: F401
