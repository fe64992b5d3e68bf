from .clip_text_head import CLIPTextClassifierHead  # noqa: F401
from .dapt_projection_head import DAPTProjectionHead  # noqa: F401
from .mlp_projector import MLPProjector  # noqa: F401
