from .dapt_distill_loss import DAPTDistillLoss  # noqa: F401
