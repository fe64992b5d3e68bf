from .dapt_projection_head import DAPTProjectionHead  # noqa: F401
