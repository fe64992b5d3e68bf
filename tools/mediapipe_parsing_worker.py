"""Person masks from mediapipe's bundled selfie segmentation, over pipes.

Runs in the separate mediapipe environment (mediapipe <= 0.10.26 pins
numpy < 2, which the main stack does not allow; docs/human_prior.md):
tools/extract_parsing_maps.py --mediapipe-python starts it and sends
``T x H x W x 3`` uint8 RGB clips as .npy on stdin; it answers each with a
``T x H x W`` uint8 array (1 = person) on stdout. Needs only numpy and
mediapipe; nothing is downloaded (the model is inside the wheel).
"""
import io
import struct
import sys
from typing import Optional

import numpy as np


def send_array(stream, array: np.ndarray) -> None:
    """Write ``array`` as a length-prefixed .npy (pipes cannot seek)."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    data = buffer.getvalue()
    stream.write(struct.pack('<Q', len(data)) + data)
    stream.flush()


def recv_array(stream) -> Optional[np.ndarray]:
    """Read one :func:`send_array` message; None at the end of the stream."""
    head = stream.read(8)
    if len(head) < 8:
        return None
    (size, ) = struct.unpack('<Q', head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError(f'truncated array: {len(data)} of {size} bytes')
    return np.load(io.BytesIO(data), allow_pickle=False)


def main() -> None:
    import mediapipe as mp
    segmenter = mp.solutions.selfie_segmentation.SelfieSegmentation(
        model_selection=0)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        frames = recv_array(stdin)
        if frames is None:
            return
        masks = np.stack([
            segmenter.process(np.ascontiguousarray(f)).segmentation_mask > 0.5
            for f in frames]).astype(np.uint8)
        send_array(stdout, masks)


if __name__ == '__main__':
    main()
