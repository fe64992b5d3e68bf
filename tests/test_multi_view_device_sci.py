"""Enhanced and mixed views made by the data preprocessor on the model's
device (``DAPTMultiView(enhance_on='device')``) against the worker-side
views of the same draws."""
import os.path as osp
import random

import numpy as np
import pytest
import torch
from conftest import REPO
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from test_multi_view import SCI_CKPT, dark_video
from test_multi_view_pipeline import dataset, loader, video_list  # noqa: F401

from dapt_mmaction.enhancers import SCINet
from mmaction.registry import MODELS, TRANSFORMS

VIEWS = ('original', 'enhanced', 'mixed', 'local')
RAW = dict(mean=None, std=None)  # compare on the 0..255 scale


def device_dataset(root, **kwargs):
    return dataset(root, enhance_on='device', enhancer=None, **kwargs)


def preprocessor(**kwargs):
    return MODELS.build(dict(type='MultiViewDataPreprocessor',
                             sci=dict(checkpoint=SCI_CKPT), **kwargs))


def seeded_items(data, seed=3):
    """Every sample of ``data`` drawn under the same numpy/random seeds."""
    items = []
    for i in range(len(data)):
        np.random.seed(seed + i)
        random.seed(seed + i)
        items.append(data[i])
    return items


def pixel_mask(mask, height, width):
    """``M x gh x gw`` patch mask -> ``M x H x W`` pixels, by np.kron."""
    grid_h, grid_w = mask.shape[1:]
    block = np.ones((height // grid_h, width // grid_w), np.uint8)
    return np.stack([np.kron(m.astype(np.uint8), block) for m in mask]) > 0


@pytest.mark.parametrize('mask_mode', ['clip', 'frame'])
def test_device_views_equal_the_worker_views(video_list, mask_mode):
    worker = pseudo_collate(seeded_items(dataset(video_list,
                                                 mask_mode=mask_mode)))
    device = pseudo_collate(seeded_items(device_dataset(
        video_list, mask_mode=mask_mode)))
    # only the original and local views travel; the draws are the same
    assert list(device['inputs']) == ['original', 'local']
    meta = device['data_samples'][0].metainfo
    assert meta['dapt_device_views'] == ('enhanced', 'mixed')
    for a, b in zip(worker['data_samples'], device['data_samples']):
        np.testing.assert_array_equal(a.metainfo['mix_mask'],
                                      b.metainfo['mix_mask'])

    want = MODELS.build(dict(type='MultiViewDataPreprocessor', **RAW))(
        worker)['inputs']
    got = preprocessor(**RAW)(device)['inputs']
    assert list(got) == list(VIEWS)
    for view in ('original', 'local'):
        assert torch.equal(got[view], want[view])
    for view in ('enhanced', 'mixed'):
        # numba kernel vs torch: < 1e-5 apart before rounding to levels
        diff = (got[view] - want[view]).abs()
        assert diff.max() <= 1 and (diff > 0).float().mean() < 1e-3, view

    # mixed: each pixel is the original's where the mask says so, else the
    # device's own enhanced pixel, exactly
    for i, sample in enumerate(device['data_samples']):
        original = got['original'][i].numpy()
        enhanced = got['enhanced'][i].numpy()
        mask = pixel_mask(sample.metainfo['mix_mask'], *original.shape[2:])
        assert len(mask) == (1 if mask_mode == 'clip' else original.shape[1])
        expected = np.where(mask[None], original, enhanced)
        np.testing.assert_array_equal(got['mixed'][i].numpy(), expected)


def test_device_enhanced_is_sci_of_the_original_frame_by_frame(video_list):
    batch = pseudo_collate([device_dataset(video_list)[i] for i in (0, 1)])
    got = preprocessor(**RAW, chunk_frames=3)(batch)['inputs']
    sci = SCINet(checkpoint=SCI_CKPT)
    for i, clip in enumerate(batch['inputs']['original']):
        for t in range(clip.shape[1]):
            frame = clip[:, t].float()[None] / 255.0
            expected = torch.floor(sci(frame)[1][0] * 255.0 + 0.5)
            assert torch.equal(got['enhanced'][i, :, t], expected)


def test_device_views_through_workers_match_the_worker_pipeline(video_list):
    pre_worker = MODELS.build(dict(type='MultiViewDataPreprocessor'))
    pre_device = preprocessor()
    want = pre_worker(next(iter(loader(dataset(video_list),
                                       'default_collate'))))['inputs']
    got = pre_device(next(iter(loader(device_dataset(video_list),
                                      'default_collate'))))['inputs']
    assert list(got) == list(VIEWS)
    for view in VIEWS:
        assert got[view].shape == want[view].shape
        assert got[view].dtype == torch.float32
        # one level apart at most, after CLIP's normalisation (std >= 66)
        assert (got[view] - want[view]).abs().max() <= 1 / 66.0


def test_view_subset_without_original_packs_it_as_the_source(video_list):
    data = device_dataset(video_list, views=('mixed', 'local'))
    sample = data[0]
    assert list(sample['inputs']) == ['original', 'local']
    out = preprocessor(**RAW)(pseudo_collate([sample]))['inputs']
    assert list(out) == ['mixed', 'local']


def test_device_views_under_autocast_stay_float32(video_list):
    batch = pseudo_collate([device_dataset(video_list)[0]])
    pre = preprocessor(**RAW)
    plain = pre(batch)['inputs']
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed_precision = pre(batch)['inputs']
    for view in VIEWS:
        assert mixed_precision[view].dtype == torch.float32
        assert torch.equal(mixed_precision[view], plain[view])


def test_device_mode_errors_name_the_problem(video_list):
    with pytest.raises(ValueError, match='remove enhancer'):
        dataset(video_list, enhance_on='device')  # enhancer still given
    with pytest.raises(ValueError, match="enhance_on must be one of"):
        dataset(video_list, enhance_on='gpu')
    batch = pseudo_collate([device_dataset(video_list)[0]])
    with pytest.raises(ValueError, match=r"has no sci=dict\(checkpoint"):
        MODELS.build(dict(type='MultiViewDataPreprocessor'))(batch)
    with pytest.raises(ValueError, match=r'needs sci=dict\(checkpoint'):
        MODELS.build(dict(type='MultiViewDataPreprocessor', sci=dict()))
    sample = batch['data_samples'][0]
    sample.set_metainfo(dict(mix_mask=None))
    with pytest.raises(KeyError, match='no mix_mask'):
        preprocessor()(batch)
    other = pseudo_collate([device_dataset(video_list)[0],
                            dataset(video_list)[1]])
    with pytest.raises(ValueError, match='ask for different views'):
        preprocessor()(other)


def test_worker_mode_packs_no_device_metadata(video_list):
    sample = dataset(video_list)[0]
    assert list(sample['inputs']) == list(VIEWS)
    assert 'dapt_device_views' not in sample['data_samples'].metainfo


@pytest.mark.parametrize('config', ['dapt_clip_arid.py',
                                    'dapt_r2plus1d_arid.py',
                                    'dapt_timesformer_arid.py'])
def test_documented_switch_works_on_the_arid_configs(tmp_path, config):
    """docs/multiview.md's three --cfg-options on the shipped ARID stage-1
    configs: the workers pack two views, the preprocessor makes four."""
    cfg = Config.fromfile(osp.join(REPO, 'configs', config))
    cfg.merge_from_dict({
        'train_dataloader.dataset.pipeline.0.enhance_on': 'device',
        'train_dataloader.dataset.pipeline.0.enhancer': None,
        'model.data_preprocessor.sci.checkpoint': SCI_CKPT})
    view_cfg = cfg.train_dataloader.dataset.pipeline[0]
    video = dark_video(tmp_path / 'v.mp4', num_frames=view_cfg.clip_len,
                       height=120, width=160)
    results = dict(filename=str(video), start_index=0, modality='RGB')
    for transform in cfg.train_dataloader.dataset.pipeline:
        results = TRANSFORMS.build(transform)(results)
    assert list(results['inputs']) == ['original', 'local']
    pre = MODELS.build(dict(cfg.model.data_preprocessor))
    out = pre(pseudo_collate([results]))['inputs']
    size, frames = view_cfg.crop_size, view_cfg.clip_len
    assert {v: tuple(x.shape) for v, x in out.items()} == {
        'original': (1, 3, frames, size, size),
        'enhanced': (1, 3, frames, size, size),
        'mixed': (1, 3, frames, size, size),
        'local': (1, 3, view_cfg.local_clip_len, view_cfg.local_crop_size,
                  view_cfg.local_crop_size)}
    # SCI brightens the dark clip; mixed lies between the two
    assert out['enhanced'].mean() > out['original'].mean() + 0.5
    assert (out['original'].mean() < out['mixed'].mean()
            < out['enhanced'].mean())


@pytest.mark.parametrize('mask_mode', ['clip', 'frame'])
def test_numpy_and_torch_patch_mixing_agree(mask_mode):
    """DAPTMultiView.mix (numpy, workers) and the preprocessor's mixing
    (torch, device) give the same pixels for the same masks, and both
    equal the np.kron expansion of eq. 1."""
    from mmaction.structures import ActionDataSample

    from dapt_mmaction.models.data_preprocessors.\
        multi_view_data_preprocessor import MultiViewDataPreprocessor
    from dapt_mmaction.structures.views import MIX_MASK_KEY
    mv = TRANSFORMS.build(dict(type='DAPTMultiView', views=('mixed', ),
                               enhance_on='device', crop_size=(12, 8),
                               patch_size=4, mask_mode=mask_mode))
    rng = np.random.default_rng(0)
    original = rng.integers(0, 256, (3, 8, 12, 3), dtype=np.uint8)
    enhanced = rng.integers(0, 256, (3, 8, 12, 3), dtype=np.uint8)
    np.random.seed(1)
    mask = mv.draw_mix_mask(len(original))
    by_numpy = mv.mix(original, enhanced, mask)
    sample = ActionDataSample()
    sample.set_metainfo({MIX_MASK_KEY: mask})
    where = MultiViewDataPreprocessor._pixel_mask([sample], 8, 12, 'cpu')
    as_nct = [torch.from_numpy(v).permute(3, 0, 1, 2)[None]
              for v in (original, enhanced)]
    by_torch = torch.where(where, *as_nct)[0].permute(1, 2, 3, 0).numpy()
    np.testing.assert_array_equal(by_numpy, by_torch)
    expected = np.where(pixel_mask(mask, 8, 12)[..., None], original,
                        enhanced)
    np.testing.assert_array_equal(by_numpy, expected)
    assert 0 < mask.sum() < mask.size  # both sources take part
