"""Every config in configs/ parses and builds: its model (made tiny), one
forward pass of it, its optimizer wrapper, its hooks (and the labelers'
models), its datasets' types and their pipelines.

Configs are found by glob, so a new config is covered without editing this
file. Models are made tiny by backbone *type* (``TINY_BACKBONES``): weight
sources are dropped, the backbone shrunk, and the adapter and head sized
from what the tiny backbone returns. A new backbone type needs one entry
there; until it has one, the size guard below says so. A distiller's
student is made tiny the same way, and its frozen teacher is built from its
teacher config made tiny, on tiny weights written for it. Enhancers whose
weights are files run on tiny real weight files (SCI: the shared test
weights; Zero-DCE: a random net written to a temporary directory).
"""
import copy
import glob
import os.path as osp

import pytest
import torch
from conftest import REPO, SCI_WEIGHTS, tiny_clip_kwargs
from mmengine.config import Config, ConfigDict
from mmengine.optim import build_optim_wrapper

from dapt_mmaction.models.backbones.video_features import VideoFeatures
from mmaction.registry import DATASETS, HOOKS, MODELS, TRANSFORMS
from mmaction.structures import ActionDataSample

SCI_MEDIUM = osp.join(SCI_WEIGHTS, 'medium.pt')
CONFIGS = sorted(
    osp.relpath(path, REPO)
    for path in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                          recursive=True)
    if '_base_' not in osp.relpath(path, osp.join(REPO, 'configs')).split(
        osp.sep))
FRAMES, SIZE = 8, 32
# open_clip's ViT-B-16 towers at toy size (embedding 32)
TINY_CLIP = tiny_clip_kwargs(vision_cfg=dict(image_size=SIZE, layers=2),
                             text_cfg=dict(layers=1))
TINY_BACKBONES = {
    'CLIPVisionBackbone': lambda cfg: dict(
        quick_gelu=False, out_indices=None, model_kwargs=TINY_CLIP),
    'TimeSformerLayers': lambda cfg: dict(
        num_frames=FRAMES, img_size=SIZE, patch_size=16, embed_dims=32,
        num_heads=2, num_transformer_layers=2, out_indices=None),
    'R2Plus1DLayers': lambda cfg: dict(
        base_channels=4, out_indices=None,
        stage_blocks=(1, ) * cfg.get('num_stages', 4)),
    'ResNet3d': lambda cfg: dict(
        base_channels=4, stage_blocks=(1, ) * cfg.get('num_stages', 4)),
}
MAX_TINY_PARAMS = 3_000_000
#: weight files written for the tests (``tiny_weight_files`` fills it)
TINY_WEIGHTS = {}
TINY_TEXT_ENCODER = dict(pretrained=None, quick_gelu=False,
                         model_kwargs=TINY_CLIP)


def plain(cfg):
    """Config dicts as plain dicts and lists (no ConfigDict)."""
    if isinstance(cfg, (dict, ConfigDict)):
        return {key: plain(value) for key, value in cfg.items()}
    if isinstance(cfg, (list, tuple)):
        return type(cfg)(plain(item) for item in cfg)
    return cfg


def without_weight_files(cfg):
    """No download, no checkpoint: ``pretrained`` and ``Pretrained``
    init_cfgs dropped, text encoders tiny, SCI on the shared test weights,
    Zero-DCE on a tiny real weight file."""
    if isinstance(cfg, list):
        return [without_weight_files(item) for item in cfg]
    if isinstance(cfg, tuple):
        return tuple(without_weight_files(item) for item in cfg)
    if not isinstance(cfg, dict):
        return cfg
    out = {}
    for key, value in cfg.items():
        if key == 'pretrained':
            value = None
        elif key == 'init_cfg' and 'Pretrained' in repr(value):
            value = None
        out[key] = without_weight_files(value)
    if out.get('type') == 'CLIPTextEncoder':
        out.update(TINY_TEXT_ENCODER)
    if out.get('type') in ('SCIEnhance', 'SCINet') and 'checkpoint' in out:
        out['checkpoint'] = SCI_MEDIUM
    if out.get('type') in ('ZeroDCEEnhance', 'ZeroDCE') and \
            'checkpoint' in out:
        out['checkpoint'] = TINY_WEIGHTS['zerodce']
    return out


@pytest.fixture(scope='module', autouse=True)
def tiny_weight_files(tmp_path_factory):
    """A real Zero-DCE weight file (random init) for every enhancer."""
    from dapt_mmaction.enhancers.zero_dce import ZeroDCE
    root = tmp_path_factory.mktemp('weights')
    torch.manual_seed(0)
    TINY_WEIGHTS['zerodce'] = str(root / 'zerodce.pth')
    torch.save(ZeroDCE().state_dict(), TINY_WEIGHTS['zerodce'])
    TINY_WEIGHTS['root'] = root
    yield
    TINY_WEIGHTS.clear()


def tiny_teacher(model_cfg):
    """A distiller's frozen teacher made tiny: its config's model at toy
    size, passed as ``teacher_cfg_options``, on weights of that tiny model
    written for it."""
    teacher_config = model_cfg['teacher_config']
    teacher_cfg, _ = tiny_model(Config.fromfile(teacher_config).model)
    torch.manual_seed(0)
    teacher = MODELS.build(copy.deepcopy(teacher_cfg))
    name = osp.splitext(osp.basename(teacher_config))[0]
    checkpoint = str(TINY_WEIGHTS['root'] / f'{name}.pth')
    torch.save(dict(state_dict=teacher.state_dict()), checkpoint)
    model_cfg.update(teacher_checkpoint=checkpoint, teacher_cfg_options=dict(
        model=dict(_delete_=True, **teacher_cfg)))


def tiny_model(model_cfg):
    """The model config at toy size, adapter and head fitted to the tiny
    backbone's outputs; returns (config, backbone output)."""
    cfg = without_weight_files(plain(model_cfg))
    if 'teacher_config' in cfg:  # a distiller with a frozen teacher
        cfg['student'], features = tiny_model(cfg['student'])
        tiny_teacher(cfg)
        return cfg, features
    backbone = cfg.get('backbone')
    if backbone is None:
        return cfg, None
    backbone.update(TINY_BACKBONES.get(backbone['type'],
                                       lambda _: {})(backbone))
    net = MODELS.build(copy.deepcopy(backbone))
    net.eval()  # some backbones' train() returns None
    with torch.no_grad():
        features = net(torch.zeros(1, 3, FRAMES, SIZE, SIZE))
    head = cfg.get('cls_head') or cfg.get('head')
    if not isinstance(features, VideoFeatures):  # e.g. mmaction2's N x C...
        if head is not None and 'in_channels' in head and not cfg.get('neck'):
            head['in_channels'] = features.shape[1]
        return cfg, features
    neck = cfg.get('neck') or {}
    out_channels = features.frame_embedding.shape[-1]  # parameterless necks
    if neck.get('type') == 'BERTTemporalNeck':  # over the frame tokens
        streams = 2 if cfg.get('fusion') == 'concat' else 1  # DarkLight's
        neck.update(in_channels=out_channels, num_heads=2,
                    num_tokens=streams * features.frame_embedding.shape[1])
    elif neck.get('type') == 'SeqTransfNeck':  # over the frame embeddings
        neck.update(in_channels=out_channels, num_layers=1, num_heads=2,
                    num_frames=features.frame_embedding.shape[1])
    elif 'in_channels' in neck:  # an adapter: sized to the tiny backbone
        out_channels = 16
        if neck.get('frame_shortcut', True):
            out_channels = features.frame_embedding.shape[-1]
        elif head is not None and 'text_encoder' in head:  # CLIP's width
            out_channels = TINY_CLIP['embed_dim']
        neck.update(in_channels=[x.shape[-1] for x in features.layers],
                    num_layers=None, in_indices=None, width=16, num_heads=2,
                    num_temporal_layers=1,
                    num_frames=features.layers[-1].shape[1],
                    out_channels=out_channels)
    if head is not None and 'in_channels' in head:
        head['in_channels'] = out_channels
    return cfg, features


def assert_tiny(model, model_cfg):
    size = sum(p.numel() for p in model.parameters())
    backbone = model_cfg.get('student', model_cfg).get('backbone', {})
    assert size < MAX_TINY_PARAMS, (
        f'{backbone.get("type")} has no tiny override: the model has {size} '
        'parameters; add its type to TINY_BACKBONES')


def build_tiny(model_cfg):
    cfg, _ = tiny_model(model_cfg)
    torch.manual_seed(0)
    model = MODELS.build(cfg).eval()
    assert_tiny(model, cfg)
    return model, cfg


def check_scores(model, clip, num_classes):
    """One test step of a recognizer: finite scores of every class."""
    inputs = [clip]
    if hasattr(model, 'streams'):  # a multi-view recognizer (ActLumos)
        inputs = {stream: [clip[0]] for stream in model.streams}
    data = dict(inputs=inputs, data_samples=[
        ActionDataSample().set_gt_label(0)])
    score = model.test_step(data)[0].pred_score
    assert score.shape == (num_classes, )
    assert torch.isfinite(score).all()


def check_forward(model, model_cfg):
    """One test-mode pass (recognizers, distillers' students and frozen
    teachers) or student features (stage 1)."""
    clip = torch.randint(0, 256, (1, 3, FRAMES, SIZE, SIZE),
                         dtype=torch.uint8)
    with torch.no_grad():
        if 'teacher_config' in model_cfg:  # frozen teacher, student predicts
            teacher = model.build_frozen_teacher()
            teacher_cfg = model_cfg['teacher_cfg_options']['model']
            assert_tiny(teacher, teacher_cfg)
            saved = torch.load(model_cfg['teacher_checkpoint'],
                               weights_only=True)['state_dict']
            assert all(torch.equal(value, saved[key]) for key, value in
                       teacher.state_dict().items())  # its weights loaded
            check_scores(teacher, clip, teacher_cfg['cls_head']['num_classes'])
            check_scores(model, clip,
                         model_cfg['student']['cls_head']['num_classes'])
        elif hasattr(model, 'cls_head'):
            check_scores(model, clip, model_cfg['cls_head']['num_classes'])
        elif hasattr(model, 'projector'):  # self-supervised (ActLumos)
            views = model.data_preprocessor(dict(inputs={
                view: [clip[0]] * 2 for view in model.views},
                data_samples=None), False)['inputs']
            pair = model(views, mode='tensor')
            assert pair.shape[:2] == (2, 2) and torch.isfinite(pair).all()
        elif hasattr(model, 'student'):
            views = model.data_preprocessor(dict(inputs=dict(
                original=[clip[0]]), data_samples=None), False)['inputs']
            feats = model(views, mode='tensor')['original']
            assert feats.shape[0] == 1 and torch.isfinite(feats).all()


def load(path):
    return Config.fromfile(osp.join(REPO, path))


@pytest.mark.parametrize('path', CONFIGS)
def test_config_builds_a_tiny_model_that_runs(path):
    cfg = load(path)
    model, tiny_cfg = build_tiny(cfg.model)
    check_forward(model, tiny_cfg)
    if cfg.get('optim_wrapper'):  # its paramwise options fit the model
        model.train()
        build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))


def all_types(cfg):
    if isinstance(cfg, dict):
        if 'type' in cfg:
            yield cfg
        for value in cfg.values():
            yield from all_types(value)
    elif isinstance(cfg, (list, tuple)):
        for item in cfg:
            yield from all_types(item)


def build_pipeline(pipeline):
    """Every transform built (SCI on the shared test weights, if present)."""
    pipeline = without_weight_files(plain(pipeline))
    for transform in pipeline:
        assert TRANSFORMS.get(transform['type']) is not None, transform
        needs_sci = any(t['type'] in ('SCIEnhance', 'SCINet')
                        for t in all_types(transform))
        if needs_sci and not osp.isfile(SCI_MEDIUM):
            continue
        TRANSFORMS.build(transform)


def datasets_of(dataset):
    yield dataset
    for inner in dataset.get('datasets', []) or []:
        yield from datasets_of(inner)
    if isinstance(dataset.get('dataset'), dict):
        yield from datasets_of(dataset['dataset'])


@pytest.mark.parametrize('path', CONFIGS)
def test_config_hooks_labelers_and_pipelines_build(path):
    cfg = load(path)
    for split in ('train', 'val', 'test'):
        loader = cfg.get(f'{split}_dataloader')
        if not loader:
            continue
        for dataset in datasets_of(plain(loader['dataset'])):
            assert DATASETS.get(dataset['type']) is not None, dataset['type']
            if 'pipeline' in dataset:
                build_pipeline(dataset['pipeline'])
    for hook_cfg in cfg.get('custom_hooks', []):
        hook_cfg = plain(hook_cfg)
        if 'pipeline' in hook_cfg:
            build_pipeline(hook_cfg['pipeline'])
            build_pipeline(hook_cfg.get('refresh', {}).get('pipeline', []))
        labeler = hook_cfg.get('labeler')
        if labeler and labeler['type'] == 'ModelLabeler':
            # a labeler's config is named relative to the repository
            model_cfg = labeler.get('model') or load(labeler['config']).model
            check_forward(*build_tiny(model_cfg))
        HOOKS.build(without_weight_files(hook_cfg))


def test_every_config_is_covered():
    assert len(CONFIGS) >= 20 and all(p.startswith('configs') for p in
                                      CONFIGS)
