"""The stack fixes in dapt_mmaction.compat: each works, each is a no-op
where the stack is already fine."""
import types

import pytest
import torch
import torch.distributed as dist
from conftest import free_port

from dapt_mmaction import compat


def test_mmaction_models_import_and_drn_stand_in_refuses_use():
    import mmaction.models  # noqa: F401  (fails without the fix)
    from mmaction.models.localizers.drn.drn import DRN
    with pytest.raises(ImportError, match='2714'):
        DRN()


def test_drn_stand_in_is_skipped_when_the_wheel_has_drn(tmp_path, monkeypatch):
    pkg = tmp_path / 'mmaction'
    (pkg / 'models' / 'localizers' / 'drn').mkdir(parents=True)
    (pkg / '__init__.py').write_text('')
    fake_spec = types.SimpleNamespace(origin=str(pkg / '__init__.py'))
    monkeypatch.setattr(compat.importlib.util, 'find_spec',
                        lambda name: fake_spec)
    monkeypatch.delitem(compat.sys.modules, 'mmaction.models.localizers.drn')
    assert compat._stub_missing_drn() is False
    assert 'mmaction.models.localizers.drn' not in compat.sys.modules


def test_apply_is_idempotent():
    import mmengine.dist.utils as dist_utils
    from mmengine.model import MMDistributedDataParallel
    before = (dist_utils._init_dist_pytorch,
              MMDistributedDataParallel.__init__)
    compat._applied = False
    compat.apply()
    assert (dist_utils._init_dist_pytorch,
            MMDistributedDataParallel.__init__) == before


def test_pytorch_launcher_keeps_upstream_path_when_cuda(monkeypatch):
    import mmengine.dist.utils as dist_utils
    calls = []
    patched = dist_utils._init_dist_pytorch
    monkeypatch.setattr(patched, '__wrapped__',
                        lambda backend, **kw: calls.append(backend))
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    dist_utils._init_dist_pytorch('nccl')
    assert calls == ['nccl']


def test_pytorch_launcher_uses_gloo_without_cuda(monkeypatch):
    import mmengine.dist.utils as dist_utils
    monkeypatch.setenv('RANK', '0')
    monkeypatch.setenv('WORLD_SIZE', '1')
    monkeypatch.setenv('LOCAL_RANK', '0')
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', str(free_port()))
    if torch.cuda.is_available():
        pytest.skip('CUDA is available: the launcher keeps nccl there')
    dist_utils.init_dist('pytorch', backend='nccl')  # as configs ask
    try:
        assert dist.get_backend() == 'gloo'
        from mmengine.model import MMDistributedDataParallel
        model = torch.nn.Linear(3, 2)
        # mmengine always passes device_ids; torch refuses them on CPU
        ddp = MMDistributedDataParallel(module=model, device_ids=[0],
                                        broadcast_buffers=False)
        assert ddp.device_ids is None
        out = ddp(torch.ones(4, 3))
        out.sum().backward()
        assert model.weight.grad is not None
    finally:
        dist.destroy_process_group()


def test_ddp_keeps_device_ids_for_accelerator_modules(monkeypatch):
    from mmengine.model import MMDistributedDataParallel
    seen = {}
    monkeypatch.setattr(MMDistributedDataParallel.__init__, '__wrapped__',
                        lambda self, module, **kw: seen.update(kw))
    with torch.device('meta'):
        model = torch.nn.Linear(3, 2)
    MMDistributedDataParallel.__new__(MMDistributedDataParallel).__init__(
        model, device_ids=[1])
    assert seen['device_ids'] == [1]


def _head_and_batch():
    """A 3-class mmaction2 head and bf16 scores of 4 labelled samples."""
    from mmaction.registry import MODELS
    from mmaction.structures import ActionDataSample
    head = MODELS.build(dict(type='TimeSformerHead', num_classes=3,
                             in_channels=4, topk=(1, )))
    scores = torch.tensor([[3., 1., 0.], [0., 2., 1.], [1., 0., 2.],
                           [2., 0., 1.]]).bfloat16().requires_grad_()
    samples = [ActionDataSample().set_gt_label(label)
               for label in (0, 1, 0, 2)]
    return head, scores, samples


def test_head_loss_takes_bf16_scores():
    from mmaction.models.heads.base import BaseHead
    head, scores, samples = _head_and_batch()
    with pytest.raises(TypeError, match='BFloat16'):  # upstream alone
        BaseHead.loss_by_feat.__wrapped__(head, scores, samples)
    losses = head.loss_by_feat(scores, samples)
    # argmax 0, 1, 2, 0 against labels 0, 1, 0, 2: two of four right
    assert float(losses['top1_acc']) == 0.5
    expected = torch.nn.functional.cross_entropy(scores.float(),
                                                 torch.tensor([0, 1, 0, 2]))
    torch.testing.assert_close(losses['loss_cls'], expected)
    losses['loss_cls'].backward()  # the cast keeps the graph
    assert scores.grad is not None and scores.grad.dtype == torch.bfloat16


def test_head_loss_passes_other_scores_unchanged(monkeypatch):
    from mmaction.models.heads.base import BaseHead
    head, scores, samples = _head_and_batch()
    seen = []
    monkeypatch.setattr(BaseHead.loss_by_feat, '__wrapped__',
                        lambda self, s, d: seen.append(s) or {})
    float_scores = scores.detach().float()
    head.loss_by_feat(float_scores, samples)
    assert seen[0] is float_scores
    # and nothing is patched where numpy reads bf16
    monkeypatch.setattr(BaseHead, 'loss_by_feat',
                        BaseHead.loss_by_feat.__wrapped__)
    monkeypatch.setattr(compat, '_numpy_lacks_bfloat16', lambda: False)
    upstream = BaseHead.loss_by_feat
    compat._float_scores_for_head_accuracy()
    assert BaseHead.loss_by_feat is upstream
