"""Fixes for known breakages of the pinned stack (see the README, "Stack").

:func:`apply` is called once when ``dapt_mmaction`` is imported, which
happens through ``custom_imports`` before mmengine builds a Runner, so the
fixes reach mmaction2's own ``tools/train.py`` and ``tools/test.py`` too.
Each fix checks whether it is needed and does nothing on a stack that is
already fine (a fixed mmaction2 wheel, CUDA machines, older torch).
"""
import atexit
import functools
import importlib.util
import os
import sys
import types
import warnings

import torch

_applied = False


def _stub_missing_drn() -> bool:
    """Provide ``mmaction.models.localizers.drn`` if the wheel lacks it.

    mmaction2 1.2.0's wheel ships without that folder (upstream issue
    #2714), so ``import mmaction.models`` fails. DRN is a temporal
    localizer this plugin never uses; the stand-in raises if built.

    Returns:
        bool: Whether the stand-in was installed.
    """
    if 'mmaction.models.localizers.drn' in sys.modules:
        return False
    spec = importlib.util.find_spec('mmaction')
    if spec is None or spec.origin is None:
        return False
    drn_dir = os.path.join(
        os.path.dirname(spec.origin), 'models', 'localizers', 'drn')
    if os.path.isdir(drn_dir):
        return False

    class DRN:  # noqa: D401 - stand-in

        def __init__(self, *args, **kwargs):
            raise ImportError(
                'mmaction2 was installed without '
                'mmaction/models/localizers/drn (open-mmlab/mmaction2#2714); '
                'DRN is unavailable. Install mmaction2 from source to use it.')

    package = types.ModuleType('mmaction.models.localizers.drn')
    package.__path__ = []
    module = types.ModuleType('mmaction.models.localizers.drn.drn')
    module.DRN = DRN
    package.drn = module
    package.DRN = DRN
    sys.modules[package.__name__] = package
    sys.modules[module.__name__] = module
    return True


def _safe_globals() -> list:
    """Objects that mmengine's own checkpoints pickle besides tensors."""
    import numpy as np
    from mmengine.logging import HistoryBuffer

    allowed = [HistoryBuffer, np.ndarray, np.dtype]
    multiarray = getattr(np, '_core', None) or np.core
    allowed += [multiarray.multiarray._reconstruct,
                multiarray.multiarray.scalar]
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:  # numpy >= 1.25 pickles dtypes by class
        allowed += [getattr(dtypes, name) for name in dir(dtypes)
                    if name.endswith('DType')]
    return allowed


def _allow_mmengine_checkpoint_globals() -> bool:
    """Let ``weights_only=True`` read mmengine's checkpoints (torch >= 2.4)."""
    add = getattr(torch.serialization, 'add_safe_globals', None)
    if add is None:
        return False
    add(_safe_globals())
    return True


def _history_buffer_state_without_methods() -> None:
    """Pickle mmengine's HistoryBuffer without its statistics methods.

    Upstream pickles ``HistoryBuffer.min`` etc. as ``getattr(cls, 'min')``;
    ``getattr`` is a code-execution gadget that ``weights_only`` rightly
    refuses, so checkpoints written that way cannot be loaded safely. The
    methods are class-level and ``__setstate__`` restores the defaults, so
    leaving them out loses nothing.
    """
    from mmengine.logging import HistoryBuffer
    if getattr(HistoryBuffer.__getstate__, '_dapt_patched', False):
        return

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop('statistics_methods', None)
        return state

    __getstate__._dapt_patched = True
    HistoryBuffer.__getstate__ = __getstate__


def _load_local_weights_only(filename, map_location):
    from .checkpoint import load_checkpoint_file
    return load_checkpoint_file(os.path.expanduser(filename), map_location)


def _force_weights_only_in_mmengine() -> None:
    """Route mmengine's local-file checkpoint loading through our loader.

    mmengine 0.10.7 calls ``torch.load`` without ``weights_only``, which is
    unsafe on torch < 2.6; ours passes ``weights_only=True`` always.
    """
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=_load_local_weights_only, force=True)


def _gloo_when_no_cuda() -> None:
    """Make mmengine's ``pytorch`` launcher work on CPU-only machines.

    Upstream calls ``torch.cuda.set_device`` unconditionally. Without CUDA
    (and no other accelerator) we initialise gloo from the torchrun
    environment instead; with CUDA the original function runs untouched.
    The gloo group is destroyed at exit: left to interpreter teardown,
    its threads aborted a finished rank about once in 12 two-process runs
    ("terminate called without an active exception", exit code -6).
    """
    import mmengine.dist.utils as dist_utils
    original = dist_utils._init_dist_pytorch
    if getattr(original, '_dapt_patched', False):
        return

    @functools.wraps(original)
    def init_dist_pytorch(backend, init_backend='torch', **kwargs):
        if torch.cuda.is_available() or backend not in ('nccl', 'gloo'):
            return init_dist_pytorch.__wrapped__(
                backend, init_backend=init_backend, **kwargs)
        torch.distributed.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']),
            **kwargs)
        atexit.register(_destroy_process_group)

    init_dist_pytorch._dapt_patched = True
    dist_utils._init_dist_pytorch = init_dist_pytorch


def _destroy_process_group() -> None:
    """Destroy the default process group if it is still there."""
    if torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


def _ddp_without_device_ids_on_cpu() -> None:
    """Drop ``device_ids`` when mmengine wraps a CPU model in DDP.

    torch rejects ``device_ids`` for CPU modules; mmengine always passes
    ``[LOCAL_RANK]``. GPU modules keep their ``device_ids``.
    """
    from mmengine.model import MMDistributedDataParallel
    original = MMDistributedDataParallel.__init__
    if getattr(original, '_dapt_patched', False):
        return

    @functools.wraps(original)
    def __init__(self, module, *args, **kwargs):
        devices = {p.device.type for p in module.parameters()}
        if devices <= {'cpu'}:
            kwargs.pop('device_ids', None)
            kwargs.pop('output_device', None)
        __init__.__wrapped__(self, module, *args, **kwargs)

    __init__._dapt_patched = True
    MMDistributedDataParallel.__init__ = __init__


def _check_video_lists() -> None:
    """Check mmaction2 video lists when a dataset or a loop is built.

    ``VideoDataset`` (and every subclass, ``PseudoLabelVideoDataset`` too)
    checks its list against its ``num_classes`` while loading it; each loop
    the Runner builds checks its lists against the model head's
    ``num_classes``, which is all a ``VideoDataset`` built without one can
    be checked against. See :mod:`dapt_mmaction.datasets.video_list_check`.
    """
    from mmaction.datasets import VideoDataset
    from mmengine.runner import Runner

    from .datasets.video_list_check import (check_lists_against_model,
                                            check_video_list)
    original = VideoDataset.load_data_list
    if getattr(original, '_dapt_patched', False):
        return

    @functools.wraps(original)
    def load_data_list(self):
        classes = self.num_classes
        if classes is None and self.metainfo.get('classes'):
            classes = len(self.metainfo['classes'])
        check_video_list(self.ann_file, classes, self.delimiter,
                         self.multi_class)
        return load_data_list.__wrapped__(self)

    load_data_list._dapt_patched = True
    VideoDataset.load_data_list = load_data_list

    for name in ('build_train_loop', 'build_val_loop', 'build_test_loop'):
        build = getattr(Runner, name)

        def checked(self, loop, _build=build):
            loop = _build(self, loop)
            dataloader = getattr(loop, 'dataloader', None)
            if dataloader is not None:
                check_lists_against_model(dataloader.dataset, self.model)
            return loop

        checked = functools.wraps(build)(checked)
        checked._dapt_patched = True
        setattr(Runner, name, checked)


def _name_videos_decord_cannot_read() -> None:
    """Name the file and keep decord's reason when upstream decoding fails.

    mmaction2's ``DecordInit`` lets decord's ``RuntimeError: Error reading
    20000 bytes...`` through with no path, and ``DecordDecode`` a raw
    ``DECORDError``. Wrapping the two registered transforms (rather than
    registering replacements under their names) keeps users' configs and
    upstream's code as they are and changes nothing but the error.
    """
    from mmaction.datasets.transforms.loading import DecordDecode, DecordInit

    from .datasets.video_io import video_read_error
    for transform_cls, action in (
            (DecordInit, 'DecordInit cannot open it'),
            (DecordDecode, 'DecordDecode cannot decode its frames')):
        original = transform_cls.transform
        if getattr(original, '_dapt_patched', False):
            continue

        def transform(self, results, _original=original, _action=action):
            try:
                return _original(self, results)
            except FileNotFoundError:
                raise  # upstream's message names the file already
            except Exception as error:
                raise video_read_error(results.get('filename'), _action,
                                       error) from error

        transform = functools.wraps(original)(transform)
        transform._dapt_patched = True
        transform_cls.transform = transform


def _numpy_lacks_bfloat16() -> bool:
    """Whether ``Tensor.numpy()`` refuses bfloat16 tensors (numpy has no
    such dtype unless a future torch maps it to one)."""
    try:
        torch.zeros(1, dtype=torch.bfloat16).numpy()
    except TypeError:
        return True
    return False


def _float_scores_for_head_accuracy() -> None:
    """Let mmaction2's heads compute their losses on bf16 class scores.

    ``BaseHead.loss_by_feat`` computes its top-k accuracy with
    ``cls_scores.detach().cpu().numpy()``, which raises ``TypeError: Got
    unsupported ScalarType BFloat16`` under CPU ``--amp``
    (``CPUAmpOptimWrapper``'s bf16 autocast), so every head fails in
    training. bf16 scores are cast to float32 before the loss (autocast
    computes cross-entropy in float32 anyway; the cast is differentiable);
    other dtypes (fp16 on CUDA, float32) pass unchanged, and nothing is
    patched where numpy reads bf16.
    """
    from mmaction.models.heads.base import BaseHead
    original = BaseHead.loss_by_feat
    if getattr(original, '_dapt_patched', False) or \
            not _numpy_lacks_bfloat16():
        return

    @functools.wraps(original)
    def loss_by_feat(self, cls_scores, data_samples):
        if isinstance(cls_scores, torch.Tensor) and \
                cls_scores.dtype == torch.bfloat16:
            cls_scores = cls_scores.float()
        return loss_by_feat.__wrapped__(self, cls_scores, data_samples)

    loss_by_feat._dapt_patched = True
    BaseHead.loss_by_feat = loss_by_feat


MMCV_LITE_WARNING = (r'Fail to import ``MultiScaleDeformableAttention`` from '
                     r'``mmcv\.ops\.multi_scale_deform_attn``, You should '
                     r'install ``mmcv`` rather than ``mmcv-lite``')


def _silence_mmcv_lite_warning() -> None:
    """Hide mmcv-lite's warning about the missing deformable attention op.

    mmcv-lite ships no compiled ops, so importing mmcv's transformer
    bricks warns on every command; no component here uses that op. Only
    this message is filtered, and it must be before mmcv is imported.
    """
    warnings.filterwarnings('ignore', message=MMCV_LITE_WARNING,
                            category=UserWarning)


def describe_distributed(dist_cfg: dict, distributed: bool,
                         world_size: int) -> dict:
    """What a run really uses, for the run header.

    The configs ask for nccl (right on GPUs); without CUDA the processes
    run gloo (:func:`_gloo_when_no_cuda`), and mmengine's header printed
    the configured backend and "GPU number" regardless.

    Args:
        dist_cfg (dict): ``env_cfg['dist_cfg']`` as configured.
        distributed (bool): Whether the runner is distributed.
        world_size (int): Number of processes.

    Returns:
        dict: Header lines (name -> value), in order.
    """
    lines = {}
    if distributed and torch.distributed.is_initialized():
        backend = torch.distributed.get_backend()
        used = dict(dist_cfg, backend=backend)
        asked = dist_cfg.get('backend')
        why = ('this machine has no CUDA, so ' if
               not torch.cuda.is_available() else '')
        note = '' if asked in (None, backend) else (
            f' (the config asks for {asked!r}; {why}the processes run '
            f'{backend!r})')
        lines['dist_cfg'] = f'{used}{note}'
    else:
        lines['dist_cfg'] = 'not used (one process)'
    lines['World size'] = world_size
    if torch.cuda.is_available():
        lines['Device'] = f'cuda ({torch.cuda.device_count()} GPUs visible)'
        lines['GPU number'] = world_size
    else:
        lines['Device'] = 'cpu (no CUDA)'
    return lines


def _true_run_header() -> None:
    """Make the Runner's environment header say what actually runs."""
    from collections import OrderedDict

    from mmengine.runner import Runner
    from mmengine.utils.dl_utils import collect_env
    if getattr(Runner._log_env, '_dapt_patched', False):
        return

    def _log_env(self, env_cfg: dict) -> None:
        # mmengine 0.10.7's Runner._log_env, with the distributed lines true
        runtime_env = OrderedDict(
            (k, v) for k, v in env_cfg.items() if k != 'dist_cfg')
        runtime_env.update(self._randomness_cfg)
        runtime_env['seed'] = self._seed
        runtime_env['Distributed launcher'] = self._launcher
        runtime_env['Distributed training'] = self._distributed
        runtime_env.update(describe_distributed(
            env_cfg.get('dist_cfg', {}), self._distributed,
            self._world_size))
        env_info = '\n    ' + '\n    '.join(
            f'{k}: {v}' for k, v in collect_env().items())
        runtime_env_info = '\n    ' + '\n    '.join(
            f'{k}: {v}' for k, v in runtime_env.items())
        dash_line = '-' * 60
        self.logger.info('\n' + dash_line + '\nSystem environment:' +
                         env_info + '\n'
                         '\nRuntime environment:' + runtime_env_info + '\n' +
                         dash_line + '\n')
        if self.cfg._cfg_dict:
            self.logger.info(f'Config:\n{self.cfg.pretty_text}')

    _log_env._dapt_patched = True
    Runner._log_env = _log_env


def apply() -> None:
    """Apply every fix once; safe to call repeatedly."""
    global _applied
    if _applied:
        return
    _silence_mmcv_lite_warning()  # first: the imports below load mmcv
    _stub_missing_drn()
    _allow_mmengine_checkpoint_globals()
    _history_buffer_state_without_methods()
    _force_weights_only_in_mmengine()
    _gloo_when_no_cuda()
    _ddp_without_device_ids_on_cpu()
    _check_video_lists()
    _name_videos_decord_cannot_read()
    _float_scores_for_head_accuracy()
    _true_run_header()
    _applied = True
