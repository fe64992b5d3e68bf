"""Human-centred pretraining: parsing loss, aligned maps, extraction, runs."""
import math

import numpy as np
import pytest
import torch

from mmaction.registry import TRANSFORMS
import dapt_mmaction  # noqa: F401  (registers)
from dapt_mmaction.models.losses import ParsingDistillLoss, SupConLoss


def test_parsing_loss_matches_hand_computation():
    # one 1x1x2 feature cell grid over a 1x2x4 map: left cell ids [0,1;0,0]
    # -> q = (3/4, 1/4, 0); right cell all 2 -> q = (0, 0, 1)
    maps = torch.tensor([[[[0, 1, 2, 2], [0, 0, 2, 2]]]])
    logits = torch.tensor([1.0, 2.0, 0.5, -1.0, 0.0, 3.0]).view(1, 3, 1, 1, 2)
    logits = logits.view(1, 2, 3).permute(0, 2, 1).reshape(1, 3, 1, 1, 2)
    left = [1.0, 2.0, 0.5]
    right = [-1.0, 0.0, 3.0]

    def logp(v, k):
        return v[k] - math.log(sum(math.exp(x) for x in v))
    hand = (-(0.75 * logp(left, 0) + 0.25 * logp(left, 1))
            - logp(right, 2)) / 2
    loss = ParsingDistillLoss(loss_weight=2.0)(logits, maps)
    assert loss.item() == pytest.approx(2 * hand, rel=1e-5)
    with pytest.raises(ValueError, match='expected 0..2'):
        ParsingDistillLoss()(logits, maps + 1)


def test_supcon_without_labels_is_nt_xent():
    torch.manual_seed(0)
    feats = torch.randn(3, 2, 5)
    z = torch.nn.functional.normalize(feats, dim=-1)
    z = torch.cat([z[:, 0], z[:, 1]])  # 2N x D, partner of i is i +- N
    sim = z @ z.t() / 0.5
    total = 0.0
    for i in range(6):
        partner = (i + 3) % 6
        others = [j for j in range(6) if j != i]
        total += -(sim[i, partner] - torch.logsumexp(sim[i, others], 0))
    loss = SupConLoss(temperature=0.5)(feats)
    assert loss.item() == pytest.approx(total.item() / 6, rel=1e-5)


def _interior(maps):
    """Pixels whose 3 x 3 neighbourhood holds one part id."""
    pad = np.pad(maps, ((0, 0), (1, 1), (1, 1)), mode='edge')
    h, w = maps.shape[1:]
    same = np.ones(maps.shape, bool)
    for dy in range(3):
        for dx in range(3):
            same &= pad[:, dy:dy + h, dx:dx + w] == maps
    return same


@pytest.mark.parametrize('clip_interpolation', ['nearest', 'bilinear'])
def test_maps_stay_aligned_through_crop_flip_resize(clip_interpolation):
    # the clip's red channel is the map's pattern times 40: after the
    # geometry, red must be 40 x map (exactly with a nearest clip resize,
    # inside the parts with a bilinear one, which blends their borders)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 5, size=(3, 12, 16)).repeat(4, 1).repeat(4, 2)
    frames = np.zeros(ids.shape + (3, ), np.uint8)
    frames[..., 0] = ids * 40
    aligned = TRANSFORMS.build(dict(type='ParsingAligned', transforms=[
        dict(type='RandomResizedCrop', area_range=(0.3, 0.6)),
        dict(type='Resize', scale=(36, 36), keep_ratio=False,
             interpolation=clip_interpolation),
        dict(type='Flip', flip_ratio=0.5)]))
    flips = set()
    for seed in range(6):
        np.random.seed(seed)
        results = dict(imgs=list(frames), parsing=list(ids.astype(np.uint8)),
                       img_shape=ids.shape[1:], modality='RGB')
        out = aligned(results)
        flips.add(out['flip'])
        red = np.stack(out['imgs'])[..., 0].astype(int)
        maps = np.stack(out['parsing']).astype(int)
        assert maps.shape == red.shape == (3, 36, 36)
        assert np.all(np.isin(maps, np.arange(5)))  # ids never blend
        inside = _interior(maps) if clip_interpolation == 'bilinear' \
            else np.ones(maps.shape, bool)
        assert inside.mean() > 0.2
        np.testing.assert_allclose(red[inside], 40 * maps[inside], atol=1)
    assert aligned.transforms[1].interpolation == clip_interpolation
    assert flips == {True, False}
