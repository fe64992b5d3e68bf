"""Grad-CAM of stage-2 recognizers: numbers and tools/visualize_gradcam.py."""
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conftest import (REPO, TOY_TEST_PIPELINE, load_tool,
                      tiny_adapter_recognizer_cfg, tiny_clip_kwargs)
from mmengine.dataset import pseudo_collate

from dapt_mmaction.visualization import VideoGradCAM
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils.gradcam_utils import GradCAM

TOOL = osp.join(REPO, 'tools', 'visualize_gradcam.py')
CLIP_KWARGS = tiny_clip_kwargs(vision_cfg=dict(layers=2),
                               text_cfg=dict(layers=1))
NUM_CLASSES = 3
FRAMES = 4
SIZE = 64  # 4 x 4 patches of 16 px


def clip_model_cfg() -> dict:
    return dict(
        type='DAPTRecognizer',
        backbone=dict(type='CLIPVisionBackbone', arch='ViT-B-16',
                      model_kwargs=CLIP_KWARGS, frozen=True),
        neck=dict(type='ProgressiveAdapterNeck', in_channels=64,
                  num_layers=2, width=32, num_heads=2, num_temporal_layers=1,
                  num_frames=FRAMES, out_channels=32),
        cls_head=dict(type='TimeSformerHead', num_classes=NUM_CLASSES,
                      in_channels=32),
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               mean=[128.] * 3, std=[64.] * 3,
                               format_shape='NCTHW'))


def trained_looking(model: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    """Random weights everywhere (the neck's output starts at zero)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for param in model.parameters():
            param.add_(torch.randn(param.shape, generator=gen) * 0.2)
    return model.eval()


@pytest.fixture(scope='module')
def clip_model():
    import dapt_mmaction  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(clip_model_cfg())
    model.init_weights()
    return trained_looking(model)


def video_input(seed=0, views=1):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(1, views, 3, FRAMES, SIZE, SIZE, generator=gen)


def hand_grad_cam(model, inputs, module, target):
    """Grad-CAM written out: tokens of ``module`` -> 4 x 4 grids."""
    acts = []
    handle = module.register_forward_hook(lambda m, a, o: acts.append(o))
    model.backbone.frozen = False
    try:
        logits = model.extract_feat(inputs.clone().requires_grad_(),
                                    stage='head', test_mode=True)[0]
    finally:
        model.backbone.frozen = True
        handle.remove()
    tokens, = acts  # (views*T) x (1 + 16) x D
    grad, = torch.autograd.grad(logits[:, target].sum(), tokens)
    views = inputs.shape[1]
    cams = []
    for v in range(views):
        for t in range(FRAMES):
            row = v * FRAMES + t
            a = tokens[row, 1:].detach().reshape(4, 4, -1)
            g = grad[row, 1:].reshape(4, 4, -1)
            alpha = g.reshape(16, -1).mean(0)  # one weight per channel
            cams.append(torch.clamp(torch.einsum('hwc,c->hw', a, alpha),
                                    min=0))
    return torch.stack(cams).reshape(views, FRAMES, 4, 4)


def test_vit_cam_matches_hand_computation(clip_model):
    inputs = video_input(views=2)
    layer = 'backbone.visual.transformer.resblocks.1.ln_1'
    assert VideoGradCAM(clip_model).layer == layer  # the ViT default
    cam = VideoGradCAM(clip_model, layer)
    result = cam(inputs)
    # TimeSformerHead's default average_clips=None: mean of the views
    expected_target = int(result.view_logits.mean(0).argmax())
    assert int(result.targets[0]) == expected_target
    coarse = hand_grad_cam(clip_model, inputs, cam.module, expected_target)
    assert coarse.abs().sum() > 0
    torch.testing.assert_close(result.coarse_maps, coarse, rtol=1e-4,
                               atol=1e-6)
    # upsampled to the clip, min-max normalised per view
    assert result.maps.shape == (2, FRAMES, SIZE, SIZE)
    for view in result.maps:
        assert view.min() == pytest.approx(0., abs=1e-6)
        assert view.max() == pytest.approx(1., abs=1e-6)
    # the frozen backbone stays frozen and gradient-free afterwards
    assert clip_model.backbone.frozen
    assert not any(p.grad is not None for p in clip_model.parameters())


def test_cam_depends_on_target_class_linearly(clip_model):
    inputs = video_input(seed=1)
    cam = VideoGradCAM(clip_model)
    maps = [cam(inputs, target=k).coarse_maps for k in range(NUM_CLASSES)]
    for a in range(NUM_CLASSES):
        for b in range(a + 1, NUM_CLASSES):
            assert not torch.allclose(maps[a], maps[b])
    # Grad-CAM's weights are linear in the gradient: before the ReLU, the
    # map of (logit_0 - logit_1) is the difference of the two maps
    module = cam.module
    acts = []
    handle = module.register_forward_hook(lambda m, a, o: acts.append(o))
    clip_model.backbone.frozen = False
    try:
        logits = clip_model.extract_feat(inputs.requires_grad_(),
                                         stage='head', test_mode=True)[0]
    finally:  # the module-scoped model stays frozen for later tests
        clip_model.backbone.frozen = True
        handle.remove()
    tokens = acts[0][:, 1:]

    def pre_relu(score):
        grad, = torch.autograd.grad(score, acts[0], retain_graph=True)
        alpha = grad[:, 1:].mean(1, keepdim=True)
        return (alpha * tokens).sum(-1)

    both = pre_relu(logits[0, 0] - logits[0, 1])
    torch.testing.assert_close(
        both, pre_relu(logits[0, 0]) - pre_relu(logits[0, 1]),
        rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(F.relu(pre_relu(logits[0, 2])).reshape(
        1, FRAMES, 4, 4), maps[2], rtol=1e-4, atol=1e-6)



def test_cam_is_zero_where_the_logit_has_no_gradient(clip_model):
    # the last block's own patch outputs reach no logit (class-token
    # features only): zero gradient there gives an all-zero map, which is
    # why the default explains that block's ln_1 input instead
    inputs = video_input(seed=2)
    last_block = VideoGradCAM(
        clip_model, 'backbone.visual.transformer.resblocks.1')(inputs)
    assert torch.count_nonzero(last_block.coarse_maps) == 0
    assert torch.count_nonzero(VideoGradCAM(clip_model)(inputs).coarse_maps)


def r2plus1d_model():
    torch.manual_seed(0)
    # trainable: mmaction2's GradCAM needs gradients through the stages
    model = MODELS.build(tiny_adapter_recognizer_cfg(
        FRAMES, NUM_CLASSES, width=16, frozen=False, average_clips='score'))
    model.init_weights()
    return trained_looking(model, seed=3)


def test_conv_cam_matches_mmaction2_gradcam():
    model = r2plus1d_model()
    gen = torch.Generator().manual_seed(0)
    frames = torch.randint(0, 256, (1, 3, FRAMES, 32, 32), generator=gen,
                           dtype=torch.uint8)
    data = pseudo_collate([dict(inputs=frames,
                                data_samples=ActionDataSample())])
    ours = VideoGradCAM(model)
    assert ours.layer == 'backbone.layer2'
    mine = ours(model.data_preprocessor(data, False)['inputs'])
    # mmaction2's reference, hooked on the same conv stage (predicted class)
    reference = GradCAM(model, 'backbone/layer2')
    ref_maps, ref_preds = reference._calculate_localization_map(
        data, use_labels=False)
    assert int(ref_preds.argmax()) == int(mine.targets[0])
    # 32 px / 4 (stem) / 2 (stage 2); 4 frames / 2 (stage 2)
    assert mine.coarse_maps.shape == (1, FRAMES // 2, 4, 4)
    torch.testing.assert_close(mine.maps, ref_maps, rtol=1e-4, atol=1e-5)
    # frozen again, no gradient through the frozen stages either
    model.backbone.frozen = True
    frozen_maps = VideoGradCAM(model)(
        model.data_preprocessor(data, False)['inputs'])
    torch.testing.assert_close(frozen_maps.maps, mine.maps, rtol=1e-4,
                               atol=1e-5)


def test_unknown_layer_lists_available(clip_model):
    with pytest.raises(ValueError, match='no layer .backbone.nope.*'
                       'backbone.visual.transformer.resblocks.0.ln_1'):
        VideoGradCAM(clip_model, 'backbone.nope')
    with pytest.raises(ValueError, match='target class 7 is outside'):
        VideoGradCAM(clip_model)(video_input(), target=7)


# the toy test pipeline, three 64 crops of the whole 64-high frame
TEST_PIPELINE = [*TOY_TEST_PIPELINE[:3], dict(type='Resize', scale=(-1, 64)),
                 dict(type='ThreeCrop', crop_size=64), *TOY_TEST_PIPELINE[5:]]
CONFIG = '''
default_scope = 'mmaction'
custom_imports = dict(imports=['dapt_mmaction'], allow_failed_imports=False)
model = {model!r}
test_pipeline = {pipeline!r}
'''


@pytest.fixture(scope='module')
def tool_files(tmp_path_factory, clip_model):
    from dapt_mmaction.datasets.video_io import write_video
    root = tmp_path_factory.mktemp('gradcam')
    config = root / 'cfg.py'
    config.write_text(CONFIG.format(model=clip_model_cfg(),
                                    pipeline=TEST_PIPELINE))
    checkpoint = root / 'model.pth'
    torch.save(dict(state_dict=clip_model.state_dict(), meta={}), checkpoint)
    yy, xx = np.mgrid[0:72, 0:96]
    frames = np.stack([np.stack([(xx * 2 + 9 * i) % 256, (yy * 3) % 256,
                                 np.full_like(xx, 40 * i % 256)], -1)
                       for i in range(12)]).astype(np.uint8)
    video = write_video(root / 'v.mp4', frames, 12.)
    return root, str(config), str(checkpoint), str(video)


def run_tool(*args):
    return subprocess.run([sys.executable, TOOL, *map(str, args)],
                          capture_output=True, text=True, cwd=REPO,
                          timeout=120)


def test_tool_writes_grid_of_views_and_frames(tool_files):
    root, config, checkpoint, video = tool_files
    out = root / 'cam.png'
    proc = run_tool(config, checkpoint, video, '--out', out,
                    '--clip-len', FRAMES, '--target-class', 2)
    assert proc.returncode == 0, proc.stderr
    assert 'target class: 2' in proc.stdout
    image = cv2.imread(str(out))
    # ThreeCrop: 3 rows of views, FRAMES columns of 64 px, 2 px gaps
    assert image.shape == (3 * 64 + 2 * 2, FRAMES * 64 + 3 * 2, 3)
    gaps = image[64:66]
    assert not gaps.any()  # rows separated by background
    # overlaid: the cells are not the plain frames
    assert image[:64, :64].std() > 0


def test_tool_animation_and_size_override(tool_files):
    root, config, checkpoint, video = tool_files
    out = root / 'cam.gif'
    proc = run_tool(config, checkpoint, video, '--out', out, '--clip-len',
                    2, '--size', 32, '--alpha', 1.0)
    assert proc.returncode == 0, proc.stderr
    from PIL import Image
    gif = Image.open(out)
    assert gif.n_frames == 2
    assert gif.size == (3 * 32 + 2 * 2, 32)


@pytest.mark.parametrize('which', ['checkpoint', 'video'])
def test_tool_missing_files_are_named(tool_files, which):
    root, config, checkpoint, video = tool_files
    args = [config, checkpoint, video, '--out', str(root / 'x.png')]
    missing = root / ('missing.pth' if which == 'checkpoint' else 'm.mp4')
    args[1 if which == 'checkpoint' else 2] = str(missing)
    with pytest.raises(FileNotFoundError,
                       match=f'{which} file not found: .*{missing.name}'):
        load_tool('visualize_gradcam').main(args)
    assert not (root / 'x.png').exists()


def test_tool_unknown_layer_lists_layers(tool_files):
    root, config, checkpoint, video = tool_files
    proc = run_tool(config, checkpoint, video, '--out', root / 'y.png',
                    '--layer', 'backbone.visual.nope')
    assert proc.returncode == 2
    assert 'Traceback' not in proc.stderr
    assert "no layer 'backbone.visual.nope'" in proc.stderr
    assert 'backbone.visual.transformer.resblocks.1.ln_1' in proc.stderr
    assert not (root / 'y.png').exists()
