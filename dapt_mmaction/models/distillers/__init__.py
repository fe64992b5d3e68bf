from .dapt_self_distiller import DAPTSelfDistiller  # noqa: F401
