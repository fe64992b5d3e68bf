from .sci_net import SCINet  # noqa: F401
from .sci_training_net import SCITrainingNet  # noqa: F401
