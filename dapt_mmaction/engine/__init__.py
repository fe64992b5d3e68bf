from . import hooks, labelers, optim_wrappers  # noqa: F401
