"""Turn OpenAI's TorchScript CLIP file (``ViT-B-16.pt``) into a state dict.

OpenAI published CLIP as TorchScript archives (the files behind open_clip's
``openai`` tag). The plugin loads every checkpoint with
``torch.load(weights_only=True)``, which refuses TorchScript, so such a file
is converted once, here, into a plain dict of tensors that the backbone
(``CLIPVisionBackbone(pretrained=...)``) and ``CLIPTextEncoder`` load safely:

    python tools/convert_clip_torchscript.py ~/.cache/clip/ViT-B-16.pt \
        checkpoints/clip/ViT-B-16_state_dict.pth

Why this tool may load TorchScript, and only for trusted files:
``torch.jit.load`` does not unpickle arbitrary Python objects the way
``torch.load(weights_only=False)`` does (its unpickler builds tensors and
TorchScript objects only, and nothing is imported), but it is no sandbox:
it compiles the archive's ``code/`` and, while restoring objects, runs the
TorchScript ``__setstate__`` methods that archive defines. TorchScript can
call any registered operator, some of which read or write files, so a
hostile archive can act at load time. PyTorch's security policy treats
TorchScript models as programs. This tool therefore loads an archive only
when its SHA-256 equals the one OpenAI published for a CLIP model (their
download URLs, which open_clip lists, end in that hash), or with
``--trust`` when you vouch for the file yourself. The output holds tensors
only; training and testing never load TorchScript.
"""
import argparse
import hashlib
import os
import sys
from typing import Dict, Optional

import torch

from dapt_mmaction.fileio import atomic_output

# integers OpenAI's archives keep beside the weights (open_clip drops them)
# and the text tower's causal mask, which open_clip rebuilds (not persistent)
NON_WEIGHT_KEYS = ('input_resolution', 'context_length', 'vocab_size',
                   'attn_mask')


def sha256_of(path: str) -> str:
    """The SHA-256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def openai_release(sha256: str) -> Optional[str]:
    """The open_clip architecture whose OpenAI file has this hash, or None."""
    import open_clip
    for arch, tag in open_clip.list_pretrained():
        if tag != 'openai':
            continue
        url = open_clip.get_pretrained_url(arch, tag)
        if url and url.rstrip('/').split('/')[-2:-1] == [sha256]:
            return arch
    return None


def torchscript_state_dict(path: str) -> Dict[str, torch.Tensor]:
    """Load a trusted TorchScript archive and return its tensors.

    Args:
        path (str): The archive (checked by the caller, see module doc).

    Returns:
        dict[str, Tensor]: Parameters and buffers, independent copies.
    """
    module = torch.jit.load(path, map_location='cpu')
    return {key: value.detach().clone()
            for key, value in module.state_dict().items()
            if key not in NON_WEIGHT_KEYS}


def main(argv=None) -> int:
    """Check, convert and write; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('archive', help="OpenAI's TorchScript CLIP file")
    parser.add_argument('out', help='the state dict to write (.pth)')
    parser.add_argument('--trust', action='store_true',
                        help='load an archive whose hash is not an OpenAI '
                        'release (it runs TorchScript code: trusted files '
                        'only)')
    args = parser.parse_args(argv)
    archive = os.path.expanduser(args.archive)
    if not os.path.isfile(archive):
        parser.error(f'{archive!r} does not exist')
    digest = sha256_of(archive)
    arch = openai_release(digest)
    if arch is None and not args.trust:
        print(f'{archive}: SHA-256 {digest} is not one of the CLIP files '
              f'OpenAI published, and loading TorchScript runs code from the '
              f'archive; if you trust the file, run again with --trust',
              file=sys.stderr)
        return 2
    state_dict = torchscript_state_dict(archive)
    out = os.path.expanduser(args.out)
    with atomic_output(out) as tmp:  # no half-written file under the name
        torch.save(state_dict, tmp)
    release = f'OpenAI {arch}' if arch else 'trusted by --trust'
    print(f'{archive} ({release}, SHA-256 {digest}): wrote {len(state_dict)} '
          f'tensors to {out}; give it as pretrained= with quick_gelu=True '
          f'for OpenAI weights')
    return 0


if __name__ == '__main__':
    sys.exit(main())
