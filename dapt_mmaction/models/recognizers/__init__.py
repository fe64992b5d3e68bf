from .dapt_recognizer import DAPTRecognizer  # noqa: F401
from .human_prior_pretrainer import HumanPriorPretrainer  # noqa: F401
