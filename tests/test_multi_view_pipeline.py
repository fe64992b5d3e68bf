"""Named views through VideoDataset, mmengine's DataLoader and collate, and
the data preprocessor."""
import numpy as np
import pytest
import torch
from mmengine.dataset import default_collate, pseudo_collate
from mmengine.runner import Runner
from test_multi_view import ENHANCER, dark_video

from mmaction.registry import DATASETS, MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample

VIEWS = ('original', 'enhanced', 'mixed', 'local')
# CLIP's normalisation, written out here rather than imported
MEAN = np.array([0.48145466, 0.4578275, 0.40821073]) * 255
STD = np.array([0.26862954, 0.26130258, 0.27577711]) * 255


def pipeline(**kwargs):
    view_cfg = dict(type='DAPTMultiView', clip_len=4, crop_size=32,
                    local_crop_size=32, local_clip_len=2, enhancer=ENHANCER)
    view_cfg.update(kwargs)
    return [view_cfg, dict(type='PackDAPTViews')]


@pytest.fixture(scope='module')
def video_list(tmp_path_factory):
    """Five labelled videos in mmaction2's VideoDataset list format."""
    root = tmp_path_factory.mktemp('toy')
    lines = []
    for i in range(5):
        rel = f'dark/c{i % 2}/{i}.mp4'
        dark_video(root / 'videos' / rel, num_frames=10, height=48,
                   width=64, seed=i)
        lines.append(f'{rel} {i % 2}')
    (root / 'dark_train.txt').write_text('\n'.join(lines) + '\n')
    return root


def dataset(root, **kwargs):
    return DATASETS.build(dict(
        type='VideoDataset', ann_file=str(root / 'dark_train.txt'),
        data_prefix=dict(video=str(root / 'videos')),
        pipeline=pipeline(**kwargs)))


def loader(data, collate, seed=0, workers=2):
    return Runner.build_dataloader(
        dict(batch_size=2, num_workers=workers, persistent_workers=False,
             sampler=dict(type='DefaultSampler', shuffle=False),
             collate_fn=dict(type=collate), dataset=data), seed=seed)


def test_pack_gives_named_cthw_tensors_and_labels(video_list):
    sample = dataset(video_list)[3]
    inputs = sample['inputs']
    assert list(inputs) == list(VIEWS)
    assert inputs['original'].shape == (3, 4, 32, 32)
    assert inputs['local'].shape == (3, 2, 32, 32)
    assert all(v.dtype == torch.uint8 for v in inputs.values())
    data_sample = sample['data_samples']
    assert isinstance(data_sample, ActionDataSample)
    assert data_sample.gt_label.tolist() == [1]
    assert data_sample.metainfo['filename'].endswith('dark/c1/3.mp4')
    assert data_sample.metainfo['mix_mask'].shape == (1, 2, 2)


def test_pack_transposes_exactly_and_names_missing_views(video_list):
    results = TRANSFORMS.build(pipeline()[0])(
        dict(filename=str(video_list / 'videos/dark/c0/0.mp4')))
    packed = TRANSFORMS.build(dict(type='PackDAPTViews'))(dict(results))
    for view in VIEWS:
        for c in range(3):
            np.testing.assert_array_equal(packed['inputs'][view][c].numpy(),
                                          results[view][..., c])
    only = TRANSFORMS.build(dict(type='PackDAPTViews', views=('mixed', )))
    assert list(only(dict(results))['inputs']) == ['mixed']
    del results['local']
    with pytest.raises(KeyError, match=r"\['local'\] are not in the results"):
        TRANSFORMS.build(dict(type='PackDAPTViews'))(results)
    with pytest.raises(KeyError, match='put DAPTMultiView before it'):
        TRANSFORMS.build(dict(type='PackDAPTViews'))(dict(label=0))


@pytest.mark.parametrize('collate', ['pseudo_collate', 'default_collate'])
def test_dataloader_with_workers_carries_the_view_dict(video_list, collate):
    batches = list(loader(dataset(video_list), collate))
    assert [len(b['data_samples']) for b in batches] == [2, 2, 1]
    labels = [s.gt_label.item() for b in batches for s in b['data_samples']]
    assert labels == [0, 1, 0, 1, 0]
    first = batches[0]['inputs']
    assert set(first) == set(VIEWS)
    if collate == 'pseudo_collate':
        assert isinstance(first['original'], list)
        assert first['original'][0].shape == (3, 4, 32, 32)
    else:
        assert first['original'].shape == (2, 3, 4, 32, 32)
        assert first['local'].shape == (2, 3, 2, 32, 32)
        assert first['mixed'].dtype == torch.uint8


def test_workers_are_seeded_reproducibly(video_list):
    data = dataset(video_list)

    def views(seed):
        return [b['inputs'] for b in loader(data, 'default_collate', seed)]

    a, b, c = views(3), views(3), views(4)
    for x, y in zip(a, b):
        for view in VIEWS:
            assert torch.equal(x[view], y[view])
    assert any(not torch.equal(x[v], z[v]) for x, z in zip(a, c)
               for v in ('original', 'local'))


def test_two_workers_draw_differently(video_list):
    """Batches 0 and 1 come from workers 0 and 1: their first samples'
    random draws (indices, crops, masks) must not be copies."""
    batches = list(loader(dataset(video_list), 'pseudo_collate', seed=0))

    def draws(sample):
        meta = sample.metainfo
        return (tuple(meta['frame_inds']), tuple(meta['local_frame_inds']),
                meta['mix_mask'].tobytes())

    assert draws(batches[0]['data_samples'][0]) != draws(
        batches[1]['data_samples'][0])


def test_preprocessor_normalises_each_view(video_list):
    batch = next(iter(loader(dataset(video_list), 'pseudo_collate',
                             workers=0)))
    pre = MODELS.build(dict(type='MultiViewDataPreprocessor'))
    out = pre(batch)
    assert set(out['inputs']) == set(VIEWS)
    assert [s.gt_label.item() for s in out['data_samples']] == [
        s.gt_label.item() for s in batch['data_samples']]
    for view in VIEWS:
        raw = torch.stack(batch['inputs'][view]).numpy().astype(np.float64)
        expected = (raw - MEAN[None, :, None, None, None]) / \
            STD[None, :, None, None, None]
        got = out['inputs'][view]
        assert got.dtype == torch.float32 and got.is_contiguous()
        assert got.shape == raw.shape
        np.testing.assert_allclose(got.numpy(), expected, atol=1e-4)


def test_preprocessor_formats_stacked_and_per_frame(video_list):
    batch = next(iter(loader(dataset(video_list), 'default_collate',
                             workers=0)))
    ncthw = MODELS.build(dict(type='MultiViewDataPreprocessor',
                              mean=None, std=None))(batch)['inputs']
    ntchw = MODELS.build(dict(type='MultiViewDataPreprocessor', mean=None,
                              std=None, format_shape='NTCHW'))(batch)['inputs']
    for view in VIEWS:
        raw = batch['inputs'][view]
        assert torch.equal(ncthw[view], raw.float())
        n, c, t, h, w = raw.shape
        assert ntchw[view].shape == (n, t, c, h, w)
        assert ntchw[view].is_contiguous() and ncthw[view].is_contiguous()
        for i in range(t):
            assert torch.equal(ntchw[view][:, i], raw[:, :, i].float())


def test_preprocessor_errors_name_the_problem():
    pre = MODELS.build(dict(type='MultiViewDataPreprocessor'))
    clip = torch.zeros(3, 2, 8, 8, dtype=torch.uint8)
    with pytest.raises(TypeError, match='dict of named views'):
        pre(dict(inputs=[clip], data_samples=None))
    with pytest.raises(ValueError, match="'local' differ in shape"):
        pre(dict(inputs=dict(local=[clip, clip[:, :1]]), data_samples=None))
    with pytest.raises(ValueError, match="view 'mixed' must be N x 3"):
        pre(dict(inputs=dict(mixed=[clip.permute(1, 0, 2, 3)]),
                 data_samples=None))
    with pytest.raises(ValueError, match='format_shape'):
        MODELS.build(dict(type='MultiViewDataPreprocessor',
                          format_shape='NCHW'))


def test_collate_functions_agree():
    """pseudo_collate keeps lists, default_collate stacks: same content."""
    items = [dict(inputs=dict(a=torch.full((3, 1, 2, 2), i,
                                           dtype=torch.uint8)),
                  data_samples=ActionDataSample()) for i in range(3)]
    pre = MODELS.build(dict(type='MultiViewDataPreprocessor'))
    a = pre(pseudo_collate(items))['inputs']['a']
    b = pre(default_collate(items))['inputs']['a']
    assert torch.equal(a, b)
    assert a[:, 0, 0, 0, 0].tolist() == pytest.approx(
        [(i - MEAN[0]) / STD[0] for i in range(3)], abs=1e-5)
