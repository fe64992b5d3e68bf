from .cpu_amp_optim_wrapper import CPUAmpOptimWrapper, select_amp_optim_wrapper

__all__ = ['CPUAmpOptimWrapper', 'select_amp_optim_wrapper']
