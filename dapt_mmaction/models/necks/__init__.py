from .progressive_adapter_neck import ProgressiveAdapterNeck  # noqa: F401
