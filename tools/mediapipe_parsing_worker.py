"""Person masks from mediapipe's bundled models, over pipes.

Runs in the separate mediapipe environment (mediapipe <= 0.10.26 pins
numpy < 2, which the main stack does not allow; docs/human_prior.md):
tools/extract_parsing_maps.py --mediapipe-python starts it and sends
``T x H x W x 3`` uint8 RGB clips as .npy on stdin; it answers each with a
``T x H x W`` uint8 array (1 = person) on stdout. Needs only numpy and
mediapipe; nothing is downloaded (the models are inside the wheel).

    python tools/mediapipe_parsing_worker.py [--model selfie|pose]

``selfie``: selfie segmentation (model 0, general). ``pose``: the pose
landmarker at complexity 1 (``pose_landmark_full``) with its segmentation
mask, one tracker per clip (frames of one video are tracked, videos do not
share state); a frame without a detected person is all background.
Any parser can serve the same protocol with :func:`serve`.
"""
import argparse
import io
import struct
import sys
from typing import Callable, Optional

import numpy as np

MODELS = ('selfie', 'pose')


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


def serve(parse: Callable[[np.ndarray], np.ndarray], stdin=None,
          stdout=None) -> None:
    """Answer each clip read from ``stdin`` with ``parse(clip)`` until EOF.

    Args:
        parse (callable): ``T x H x W x 3`` uint8 RGB -> ``T x H x W``
            uint8 part ids.
        stdin, stdout: Binary streams (default: this process's).
    """
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    while True:
        frames = recv_array(stdin)
        if frames is None:
            return
        send_array(stdout, np.asarray(parse(frames), dtype=np.uint8))


def selfie_parser() -> Callable[[np.ndarray], np.ndarray]:
    """Selfie segmentation: the mask above 0.5 is the person."""
    import mediapipe as mp
    segmenter = mp.solutions.selfie_segmentation.SelfieSegmentation(
        model_selection=0)

    def parse(frames: np.ndarray) -> np.ndarray:
        return np.stack([
            segmenter.process(np.ascontiguousarray(f)).segmentation_mask > 0.5
            for f in frames]).astype(np.uint8)
    return parse


def pose_parser() -> Callable[[np.ndarray], np.ndarray]:
    """Pose landmarker (complexity 1) with segmentation, tracked per clip."""
    import mediapipe as mp

    def parse(frames: np.ndarray) -> np.ndarray:
        masks = np.zeros(frames.shape[:3], np.uint8)
        with mp.solutions.pose.Pose(static_image_mode=False,
                                    model_complexity=1,
                                    enable_segmentation=True) as pose:
            for t, frame in enumerate(frames):
                mask = pose.process(np.ascontiguousarray(frame)) \
                    .segmentation_mask
                if mask is not None:  # None: no person in this frame
                    masks[t] = mask > 0.5
        return masks
    return parse


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--model', choices=MODELS, default='selfie')
    args = parser.parse_args(argv)
    serve(selfie_parser() if args.model == 'selfie' else pose_parser())


if __name__ == '__main__':
    main()
