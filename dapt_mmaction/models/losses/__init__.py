from .dapt_distill_loss import DAPTDistillLoss  # noqa: F401
from .logit_kd_loss import LogitKDLoss  # noqa: F401
from .parsing_distill_loss import ParsingDistillLoss  # noqa: F401
from .supcon_loss import SupConLoss  # noqa: F401
