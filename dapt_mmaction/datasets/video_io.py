"""Writing RGB frames as mp4 files that decord reads back, and naming the
videos decord cannot read."""
import os
from typing import Optional, Sequence, Union

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


class VideoReadError(RuntimeError):
    """A video that decord cannot open or decode; names the file."""


def describe_video_bytes(data: bytes) -> str:
    """Say what a video file's bytes look like (for error messages).

    Args:
        data (bytes): The whole file.

    Returns:
        str: E.g. ``'12,345 bytes, an MP4/MOV container without its moov
        index (cut off while writing or copying?)'``.
    """
    size = f'{len(data):,} bytes'
    if not data:
        return 'an empty file'
    if data[4:8] == b'ftyp':
        if b'moov' not in data:
            return (f'{size}, an MP4/MOV container without its moov index '
                    f'(cut off while writing or copying?)')
        return f'{size}, an MP4/MOV container'
    head = data[:64]
    try:
        if all(c.isprintable() or c in '\t\r\n'
               for c in head.decode('utf-8')):
            return f'{size}, a text file starting {head[:40].decode()!r}'
    except UnicodeDecodeError:
        pass
    return f'{size}, starting {head[:8].hex(" ")}'


def video_read_error(filename: str, action: str, error: BaseException,
                     data: Optional[bytes] = None) -> VideoReadError:
    """The error for a video decord failed on, with decord's whole reason.

    Args:
        filename (str): The video.
        action (str): What failed, e.g. ``'DecordInit cannot open it'``.
        error (BaseException): decord's exception (kept whole).
        data (bytes, optional): The file's bytes; read from ``filename``
            when it is a local file and they are not given.

    Returns:
        VideoReadError: To raise ``from error``.
    """
    if data is None and filename and os.path.isfile(filename):
        with open(filename, 'rb') as f:
            data = f.read()
    looks_like = '' if data is None else f' [{describe_video_bytes(data)}]'
    return VideoReadError(f'{filename}: {action} (corrupt, truncated or not '
                          f'a video){looks_like}; decord said: '
                          f'{type(error).__name__}: {error}')
