"""Mixed precision on the CPU, where mmengine's AmpOptimWrapper refuses to run."""
from contextlib import contextmanager
from typing import Union

import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper

from mmaction.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class CPUAmpOptimWrapper(OptimWrapper):
    """Optimizer wrapper running forward passes under CPU autocast.

    bf16 has float32's exponent range, so unlike fp16 on GPUs it needs no
    loss scaling; parameters and optimizer state stay float32.

    Args:
        dtype (str | torch.dtype): Autocast dtype. Defaults to bfloat16.
        **kwargs: Passed to :class:`mmengine.optim.OptimWrapper`.
    """

    def __init__(self, dtype: Union[str, torch.dtype] = 'bfloat16', **kwargs):
        super().__init__(**kwargs)
        self.cast_dtype = getattr(torch, dtype) if isinstance(dtype,
                                                              str) else dtype

    @contextmanager
    def optim_context(self, model: torch.nn.Module):
        """Gradient-accumulation context of the base class plus autocast."""
        with super().optim_context(model), torch.autocast(
                'cpu', dtype=self.cast_dtype):
            yield


def select_amp_optim_wrapper(cfg: Config) -> Config:
    """Switch ``cfg.optim_wrapper`` to mixed precision (``--amp``).

    CUDA gets mmengine's ``AmpOptimWrapper`` (fp16 with dynamic loss
    scaling) exactly as mmaction2 does; without CUDA, ``CPUAmpOptimWrapper``.

    Args:
        cfg (Config): The config; changed in place.

    Returns:
        Config: ``cfg``.
    """
    kind = cfg.optim_wrapper.get('type', 'OptimWrapper')
    if kind not in ('OptimWrapper', 'AmpOptimWrapper', 'CPUAmpOptimWrapper'):
        raise ValueError(f'--amp cannot replace the custom optimizer wrapper '
                         f'{kind!r}; set a mixed-precision one in the config')
    if torch.cuda.is_available():
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
    else:
        cfg.optim_wrapper.type = 'CPUAmpOptimWrapper'
        cfg.optim_wrapper.pop('loss_scale', None)
    return cfg
