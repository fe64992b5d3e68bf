"""Visualisation helpers (Grad-CAM of stage-2 recognizers)."""
from .video_gradcam import GradCAMResult, VideoGradCAM, default_gradcam_layer

__all__ = ['GradCAMResult', 'VideoGradCAM', 'default_gradcam_layer']
