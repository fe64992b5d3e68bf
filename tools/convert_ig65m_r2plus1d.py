"""Convert DarkLight's R(2+1)D-34 weights (IG65M, torchvision layout) for
``R2Plus1DLayers(layout='torchvision')``.

DarkLight (and the paper, section 4.1) uses the IG65M-pretrained R(2+1)D-34
of ig65m-pytorch, ``r2plus1d_34_clip32_ig65m_from_scratch-449a7af9.pth``
(or its 8-frame and Kinetics-fine-tuned siblings): a torchvision
``VideoResNet`` state dict (``stem.*``, ``layerN.M.conv1.0.0.weight``, ...,
``fc.*``). This renames its keys to mmaction2's (``conv1.conv.conv_s``,
``layerN.M.conv1.bn``, ...), drops the classifier and checks every key and
shape against the backbone before writing a plain backbone state dict:

    python tools/convert_ig65m_r2plus1d.py \\
        r2plus1d_34_clip32_ig65m_from_scratch-449a7af9.pth \\
        checkpoints/r2plus1d_34_ig65m.pth
"""
import argparse
import re
from typing import Dict

import torch
from mmengine.registry import init_default_scope

import dapt_mmaction  # noqa: F401  (registers R2Plus1DLayers)
from dapt_mmaction.checkpoint import load_state_dict_file
from dapt_mmaction.fileio import atomic_output
from mmaction.registry import MODELS

# torchvision -> mmaction2 key parts, applied in order
RENAMES = (
    (r'^stem\.0\.', 'conv1.conv.conv_s.'),
    (r'^stem\.1\.', 'conv1.conv.bn_s.'),
    (r'^stem\.3\.', 'conv1.conv.conv_t.'),
    (r'^stem\.4\.', 'conv1.bn.'),
    (r'\.(conv[12])\.0\.0\.', r'.\1.conv.conv_s.'),
    (r'\.(conv[12])\.0\.1\.', r'.\1.conv.bn_s.'),
    (r'\.(conv[12])\.0\.3\.', r'.\1.conv.conv_t.'),
    (r'\.(conv[12])\.1\.', r'.\1.bn.'),
    (r'\.downsample\.0\.', '.downsample.conv.'),
    (r'\.downsample\.1\.', '.downsample.bn.'),
)
KEY = re.compile(r'^(stem\.[0-4]|layer[1-4]\.\d+\.(conv[12]\.(0\.[013]|1)|'
                 r'downsample\.[01]))\.(weight|bias|running_mean|'
                 r'running_var|num_batches_tracked)$')


def target_backbone(depth: int = 34) -> torch.nn.Module:
    """The backbone the converted weights are for."""
    init_default_scope('mmaction')
    return MODELS.build(dict(type='R2Plus1DLayers', depth=depth,
                             layout='torchvision', pretrained=None))


def convert(state_dict: Dict[str, torch.Tensor], filename: str,
            depth: int = 34) -> Dict[str, torch.Tensor]:
    """torchvision R(2+1)D keys -> ``R2Plus1DLayers(layout='torchvision')``.

    Args:
        state_dict (dict): The torchvision ``VideoResNet`` state dict.
        filename (str): Where it came from, for the error messages.
        depth (int): ResNet depth of the checkpoint. Defaults to 34.

    Returns:
        dict: The backbone's state dict (``num_batches_tracked`` filled in
        where the file has none).

    Raises:
        ValueError: A key or a shape that is not torchvision's R(2+1)D of
            this depth (names the file and the keys).
    """
    unknown = [k for k in state_dict
               if not k.startswith('fc.') and not KEY.match(k)]
    if unknown:
        raise ValueError(
            f'{filename}: not a torchvision R(2+1)D state dict (IG65M / '
            f'DarkLight layout); unexpected keys {unknown[:5]}')
    converted = {}
    for key, value in state_dict.items():
        if key.startswith('fc.'):
            continue  # the IG65M classifier
        for pattern, repl in RENAMES:
            key = re.sub(pattern, repl, key)
        converted[key] = value
    expected = target_backbone(depth).state_dict()
    missing = [k for k in expected if k not in converted
               and not k.endswith('num_batches_tracked')]
    extra = [k for k in converted if k not in expected]
    wrong = [f'{k}: {tuple(converted[k].shape)} != {tuple(v.shape)}'
             for k, v in expected.items()
             if k in converted and converted[k].shape != v.shape]
    if missing or extra or wrong:
        raise ValueError(
            f'{filename}: does not match R(2+1)D-{depth} (torchvision '
            f'layout): missing {missing[:5]}, unexpected {extra[:5]}, '
            f'shapes {wrong[:5]}')
    for key, value in expected.items():
        converted.setdefault(key, value)  # num_batches_tracked
    return {k: converted[k] for k in expected}


def main() -> None:
    """Read, convert, check, write."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('src', help='torchvision / IG65M R(2+1)D checkpoint')
    parser.add_argument('dst', help='output backbone state dict (.pth)')
    parser.add_argument('--depth', type=int, default=34)
    args = parser.parse_args()
    state_dict = dict(load_state_dict_file(args.src))  # 'module.' stripped
    converted = convert(state_dict, args.src, args.depth)
    with atomic_output(args.dst) as tmp:
        torch.save(converted, tmp)
    print(f'{args.dst}: {len(converted)} tensors for '
          f"R2Plus1DLayers(depth={args.depth}, layout='torchvision')")


if __name__ == '__main__':
    main()
