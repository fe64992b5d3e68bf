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


# ---- tools and runs on a tiny DarkBench ------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import os.path as osp  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from conftest import REPO, load_tool  # noqa: E402


@pytest.fixture(scope='module')
def tiny_bench(tmp_path_factory):
    from dapt_mmaction.toydata.darkbench_data import generate_darkbench
    root = str(tmp_path_factory.mktemp('hp') / 'darkbench')
    generate_darkbench(root, seed=1, workers=1, num_frames=16,
                       actors_per_split=1, height=48, width=64,
                       sizes={s: 1 for s in ('bright_train', 'bright_test',
                                             'dark_pool', 'dark_train',
                                             'dark_val', 'dark_test')})
    for split in ('bright_train', 'dark_pool', 'dark_train', 'dark_val'):
        with open(osp.join(root, f'{split}.txt')) as f:
            lines = f.readlines()[:4]
        with open(osp.join(root, f'{split}4.txt'), 'w') as f:
            f.writelines(lines)
    return root


def _parser_files(tmp_path):
    model = MODELS_build(dict(type='TinyParsingNet', num_parts=5, width=4))
    torch.save(model.state_dict(), tmp_path / 'parser.pth')
    (tmp_path / 'parser.py').write_text(
        "model = dict(type='TinyParsingNet', num_parts=5, width=4)\n")
    return str(tmp_path / 'parser.py'), str(tmp_path / 'parser.pth')


def MODELS_build(cfg):
    from mmaction.registry import MODELS
    torch.manual_seed(0)
    return MODELS.build(cfg)


def test_extraction_resumes_and_writes_atomically(tiny_bench, tmp_path,
                                                  monkeypatch):
    tool = load_tool('extract_parsing_maps')
    config, checkpoint = _parser_files(tmp_path)
    out = str(tmp_path / 'maps')
    videos = osp.join(tiny_bench, 'videos')
    argv = [osp.join(tiny_bench, 'dark_pool4.txt'), videos, out, '--config',
            config, '--checkpoint', checkpoint, '--resolution', '12', '16',
            '--enhancer', "dict(type='GammaCorrection', gamma=2.0)",
            '--no-progress']
    real_save = np.savez_compressed
    calls = []

    def dies_on_third(path, **arrays):
        calls.append(path)
        real_save(path, **arrays)  # the temporary is written ...
        if len(calls) == 3:  # ... and the process dies before the rename
            raise KeyboardInterrupt
    monkeypatch.setattr(tool.np, 'savez_compressed', dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        tool.main(argv)
    files = sorted(p for p in _walk(out))
    assert len(files) == 2 and all(f.endswith('.parsing.npz') for f in files)
    first_mtime = os.stat(files[0]).st_mtime_ns
    monkeypatch.setattr(tool.np, 'savez_compressed', real_save)
    assert tool.main(argv) == dict(written=2, skipped=2)
    files = sorted(_walk(out))
    assert len(files) == 4  # no temporaries left behind
    assert os.stat(files[0]).st_mtime_ns == first_mtime
    # each file is the parser's ids of the enhanced frames, resized
    parse = tool.build_torch_parser(config, checkpoint, 16, 'cpu')
    enhance = tool.build_enhancer("dict(type='GammaCorrection', gamma=2.0)")
    import decord
    rel = open(osp.join(tiny_bench, 'dark_pool4.txt')).readline().split()[0]
    reader = decord.VideoReader(osp.join(videos, rel))
    frames = reader.get_batch(list(range(len(reader)))).asnumpy()
    expected = tool.resize_ids(parse(enhance(frames)), (12, 16))
    stored = np.load(osp.join(out, rel[:-4] + '.parsing.npz'))['maps']
    assert stored.shape == (16, 12, 16) and stored.dtype == np.uint8
    np.testing.assert_array_equal(stored, expected)
    with pytest.raises(ValueError, match='--enhancer'):
        tool.build_enhancer('[1, 2]')


# A parsing worker without mediapipe: the TinyParsingNet in its own process
# (torch only, loaded from its file), answering over the pipe with the
# worker module's serve(); it records its argv.
_TORCH_WORKER = """
import importlib.util, sys
import torch
sys.path.insert(0, {tools!r})
from mediapipe_parsing_worker import serve
open({argv_file!r}, 'w').write(' '.join(sys.argv[1:]))
spec = importlib.util.spec_from_file_location('tiny_parsing_net', {net!r})
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
net = module.TinyParsingNet(num_parts=5, width=4).eval()
net.load_state_dict(torch.load({checkpoint!r}, weights_only=True))


@torch.no_grad()
def parse(frames):
    x = torch.from_numpy(frames).permute(0, 3, 1, 2).float() / 255
    return net(x).argmax(1).byte().numpy()


serve(parse)
"""


def test_extraction_through_a_worker_process_over_the_pipe(tiny_bench,
                                                           tmp_path):
    tool = load_tool('extract_parsing_maps')
    config, checkpoint = _parser_files(tmp_path)
    worker = tmp_path / 'torch_worker.py'
    argv_file = str(tmp_path / 'worker_argv.txt')
    worker.write_text(_TORCH_WORKER.format(
        tools=osp.join(REPO, 'tools'), argv_file=argv_file,
        checkpoint=checkpoint, net=osp.join(
            REPO, 'dapt_mmaction', 'models', 'parsers',
            'tiny_parsing_net.py')))
    # stands in for the mediapipe environment's python: runs the worker
    # above with the arguments extract_parsing_maps gives the real one
    python = tmp_path / 'worker_python'
    python.write_text(f'#!/bin/sh\nexec {sys.executable} {worker} "$@"\n')
    python.chmod(0o755)
    out = str(tmp_path / 'maps')
    videos = osp.join(tiny_bench, 'videos')
    video_list = osp.join(tiny_bench, 'bright_train4.txt')
    assert tool.main([video_list, videos, out, '--mediapipe-python',
                      str(python), '--mediapipe-model', 'pose',
                      '--resolution', '12', '16', '--no-progress']) == \
        dict(written=4, skipped=0)
    worker_args = open(argv_file).read().split()
    assert worker_args[0].endswith('mediapipe_parsing_worker.py')
    assert worker_args[1:] == ['--model', 'pose']
    # every stored map is the parser's output on that video's frames
    parse = tool.build_torch_parser(config, checkpoint, 16, 'cpu')
    import decord
    for line in open(video_list):
        rel = line.split()[0]
        reader = decord.VideoReader(osp.join(videos, rel))
        frames = reader.get_batch(list(range(len(reader)))).asnumpy()
        expected = tool.resize_ids(parse(frames), (12, 16))
        assert len(np.unique(expected)) > 1  # not a constant map
        stored = np.load(osp.join(out, rel[:-4] + '.parsing.npz'))['maps']
        np.testing.assert_array_equal(stored, expected)
    # a worker that stops is named in the error
    dead = tool.WorkerParser([sys.executable, '-c', 'pass'], hint='hint')
    with pytest.raises(RuntimeError, match=r"stopped: hint"):
        dead(np.zeros((2, 4, 4, 3), np.uint8))


def _walk(root):
    for folder, _, names in os.walk(root):
        for name in names:
            yield osp.join(folder, name)


def _train_argv(config, work_dir, *options):
    return [osp.join(REPO, 'tools', 'train.py'), config, '--no-validate',
            '--work-dir', str(work_dir), '--cfg-options',
            'train_cfg.max_epochs=1', 'train_dataloader.batch_size=2',
            'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False',
            'default_hooks.logger.interval=1', *options]


def _train(config, work_dir, *options):
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    run = subprocess.run(
        [sys.executable, *_train_argv(config, work_dir, *options)],
        check=False, cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]


def _train_in_process(monkeypatch, config, work_dir, *options):
    """tools/train.py's main() in this process (no second interpreter)."""
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(sys, 'argv', _train_argv(
        config, work_dir, *options, f'experiment_name=hp-{id(work_dir)}'))
    load_tool('train').main()


def test_pretraining_logs_both_losses_and_finetune_loads_the_encoder(
        tiny_bench, tmp_path, monkeypatch):
    from mmengine.config import Config
    from mmaction.registry import MODELS
    from dapt_mmaction.checkpoint import load_state_dict_file
    videos = osp.join(tiny_bench, 'videos')
    # pretraining on the generator's masks (configs/humanprior_*_toy.py)
    _train(osp.join(REPO, 'configs', 'humanprior_r2plus1d_toy.py'),
           tmp_path / 'pre',
           f'train_dataloader.dataset.ann_file={tiny_bench}/bright_train4.txt',
           f'train_dataloader.dataset.data_prefix.video={videos}')
    scalars = [json.loads(line) for line in open(next(
        p for p in _walk(tmp_path / 'pre') if p.endswith('scalars.json')))]
    assert len(scalars) == 2
    for row in scalars:
        assert row['loss'] == pytest.approx(
            row['loss_parse'] + row['loss_con'], abs=1e-3)
        assert row['loss_parse'] > 0 and row['loss_con'] > 0
    pretrained = load_state_dict_file(tmp_path / 'pre' / 'epoch_1.pth')

    # the DarkBench fine-tune: source model, then the pretrained backbone
    finetune = osp.join(REPO, 'configs', 'darkbench',
                        'humanprior_r2plus1d_finetune_toy.py')
    source = MODELS_build(Config.fromfile(finetune).model)
    torch.save({'state_dict': source.state_dict()}, tmp_path / 'source.pth')
    _train_in_process(monkeypatch, finetune, tmp_path / 'ft',
           f'model.init_cfg.0.checkpoint={tmp_path}/source.pth',
           f'load_from={tmp_path}/pre/epoch_1.pth',
           'optim_wrapper.optimizer.lr=0.0',  # so the loaded weights stay
           'default_hooks.checkpoint.save_best=None',
           f'train_dataloader.dataset.ann_file={tiny_bench}/dark_train4.txt',
           f'train_dataloader.dataset.data_prefix.video={videos}')
    tuned = load_state_dict_file(tmp_path / 'ft' / 'epoch_1.pth')
    params = dict(source.named_parameters())
    backbone = [k for k in params if k.startswith('backbone.')]
    assert len(backbone) > 50
    for key in backbone:  # every encoder parameter from the pretraining
        torch.testing.assert_close(tuned[key], pretrained[key])
        assert not torch.equal(tuned[key], source.state_dict()[key])
    for key in params:  # the rest from the source model
        if not key.startswith('backbone.'):
            torch.testing.assert_close(tuned[key], source.state_dict()[key])
    assert not any(k.startswith(('parse_head', 'proj_head')) for k in tuned)


def test_ucf101_and_hmdb51_split_files(tmp_path):
    from dapt_mmaction.datasets.list_converters import ListFormatError
    from dapt_mmaction.datasets.ucf_hmdb_splits import (hmdb51_split,
                                                        ucf101_split)
    ucf = tmp_path / 'ucf'
    ucf.mkdir()
    (ucf / 'classInd.txt').write_text('1 ApplyEyeMakeup\n2 Archery\n')
    (ucf / 'trainlist01.txt').write_text(
        'Archery/v_Archery_g08_c01.avi 2\nApplyEyeMakeup/v_A_g08_c02.avi 1\n')
    (ucf / 'testlist01.txt').write_text('Archery/v_Archery_g01_c01.avi\n')
    assert ucf101_split(str(ucf), 1, 'train') == [
        ('Archery/v_Archery_g08_c01.avi', 1),
        ('ApplyEyeMakeup/v_A_g08_c02.avi', 0)]
    assert ucf101_split(str(ucf), 1, 'test') == [
        ('Archery/v_Archery_g01_c01.avi', 1)]
    (ucf / 'trainlist02.txt').write_text('Archery/x.avi 1\n')
    with pytest.raises(ListFormatError, match='trainlist02.txt:1'):
        ucf101_split(str(ucf), 2, 'train')
    hmdb = tmp_path / 'hmdb'
    hmdb.mkdir()
    (hmdb / 'wave_test_split1.txt').write_text('w1.avi 1 \nw2.avi 2 \n')
    (hmdb / 'brush_hair_test_split1.txt').write_text('b1.avi 0\nb2.avi 1\n')
    assert hmdb51_split(str(hmdb), 1, 'train') == [
        ('brush_hair/b2.avi', 0), ('wave/w1.avi', 1)]
    assert hmdb51_split(str(hmdb), 1, 'test') == [('wave/w2.avi', 1)]
    with pytest.raises(FileNotFoundError, match='split2'):
        hmdb51_split(str(hmdb), 2, 'train')


def test_finetune_neck_is_global_average_pooling_of_the_last_stage():
    from mmengine.config import Config
    from mmaction.registry import MODELS
    toy = Config.fromfile(osp.join(REPO, 'configs', '_base_', 'models',
                                   'dapt_r2plus1d_tiny_toy.py'))
    torch.manual_seed(0)
    backbone = MODELS.build(toy.trainable_backbone).eval()
    pool = MODELS.build(dict(type='FrameEmbeddingPoolNeck', normalize=False))
    x = torch.randn(2, 3, 8, 32, 32)
    with torch.no_grad():
        features, last_map = backbone(x), backbone.forward_map(x)
    torch.testing.assert_close(pool(features), last_map.mean((2, 3, 4)))
    # the default (CLIP zero-shot) form still normalises each frame first
    normed = MODELS.build(dict(type='FrameEmbeddingPoolNeck'))(features)
    torch.testing.assert_close(
        normed, torch.nn.functional.normalize(
            features.frame_embedding, dim=-1).mean(1))
