from . import transforms  # noqa: F401
from .pseudo_label_video_dataset import PseudoLabelVideoDataset  # noqa: F401
