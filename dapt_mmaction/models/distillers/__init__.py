from .dapt_self_distiller import DAPTSelfDistiller  # noqa: F401
from .dlkdd_distiller import DLKDDDistiller  # noqa: F401
