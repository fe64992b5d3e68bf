from .clip_vision_backbone import CLIPVisionBackbone  # noqa: F401
from .r2plus1d_layers import R2Plus1DLayers  # noqa: F401
from .timesformer_layers import TimeSformerLayers  # noqa: F401
from .video_features import VideoFeatures  # noqa: F401
