"""Writing RGB frames as mp4 files that decord reads back."""
import os
from typing import Sequence, Union

import cv2
import numpy as np

from dapt_mmaction.fileio import atomic_output


def write_video(path: Union[str, os.PathLike],
                frames: Union[np.ndarray, Sequence[np.ndarray]],
                fps: float = 30.0) -> str:
    """Write uint8 RGB frames (T x H x W x 3) to an mp4 (MPEG-4 part 2).

    The file is written under a temporary name and renamed, so a crash
    never leaves a truncated video behind.

    Args:
        path (str | PathLike): Output ``.mp4`` path; parent folders are made.
        frames (np.ndarray | Sequence[np.ndarray]): uint8 RGB frames.
        fps (float): Frame rate. Defaults to 30.

    Returns:
        str: ``path``.
    """
    path = os.fspath(path)
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.dtype != np.uint8:
        raise ValueError(f'write_video({path!r}) needs uint8 T x H x W x 3 '
                         f'frames, got {frames.dtype} {frames.shape}')
    height, width = frames.shape[1:3]
    # the temporary name ends in .mp4: OpenCV picks the container by it
    with atomic_output(path, suffix='.mp4') as tmp:
        writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps,
                                 (width, height))
        if not writer.isOpened():
            raise OSError(f'cannot open a video writer for {path!r}')
        try:
            for frame in frames:
                writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
        finally:
            writer.release()
    return path
