from .dapt_recognizer import DAPTRecognizer  # noqa: F401
from .dark_clip_ssl import DarkClipSSL  # noqa: F401
from .dual_stream_recognizer import DualStreamRecognizer  # noqa: F401
from .human_prior_pretrainer import HumanPriorPretrainer  # noqa: F401
