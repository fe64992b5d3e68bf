"""dapt_mmaction: domain-adaptive pretraining for action recognition in the dark.

Importing the package applies the stack fixes (:mod:`dapt_mmaction.compat`)
and registers every component into mmaction2's registries.
"""
from . import compat

compat.apply()

from . import datasets, engine, enhancers, models  # noqa: E402,F401,E501
from .version import __version__  # noqa: E402,F401
