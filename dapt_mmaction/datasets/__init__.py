from . import transforms  # noqa: F401
from .holdout_video_dataset import HoldoutVideoDataset  # noqa: F401
from .pseudo_label_video_dataset import PseudoLabelVideoDataset  # noqa: F401
