from .sci_net import SCINet  # noqa: F401
