"""Fused CPU kernel for SCI on uint8 video frames (optional, needs numba).

One pass over a frame computes uint8 -> float, the three 3x3 convs (eval BN
folded into the middle one), the sigmoid, the illumination clamp, the divide
and the rounding back to uint8, streaming rows through three-row ring buffers
so that every intermediate stays in L1/L2 cache. Per-frame torch convs spend
most of their time on memory traffic and on the element-wise tail; this
kernel is what makes SCI cheaper than decoding the clip (see docs/sci.md).

The arithmetic is IEEE float32 (only multiply-add contraction is allowed),
the exponential is a vectorisable Cephes-style ``expf`` (about 1 ulp), so the
results agree with :class:`SCINet` within 1e-5 (tests/test_sci_kernels.py).
Without numba, :data:`NUMBA_AVAILABLE` is False and callers use torch.
"""
import threading
from typing import Dict, Optional

import numpy as np

try:  # numba is optional: the torch path gives the same numbers, slower
    import numba
    from llvmlite import ir as llvm_ir
    from numba import njit, prange, types
    from numba.extending import intrinsic
    NUMBA_AVAILABLE = True
except ImportError:  # pragma: no cover - exercised where numba is absent
    numba = None
    NUMBA_AVAILABLE = False

__all__ = ['NUMBA_AVAILABLE', 'sci_enhance_uint8']

_F = np.float32
_ONE, _ZERO = _F(1.0), _F(0.0)
_ILLUM_MIN = _F(1e-4)
_F255 = _F(255.0)
_HALF = _F(0.5)
# expf, Cephes style: exp(x) = 2**n * exp(r), r = x - n*ln2 in [-ln2/2, ln2/2]
_EXP_HI, _EXP_LO = _F(88.0), _F(-87.0)  # keep 2**n a normal float32
_LOG2E = _F(1.44269504088896341)
_LN2_HI, _LN2_LO = _F(0.693359375), _F(-2.12194440e-4)
_P0, _P1, _P2 = _F(1.9875691500e-4), _F(1.3981999507e-3), _F(8.3334519073e-3)
_P3, _P4, _P5 = _F(4.1665795894e-2), _F(1.6666665459e-1), _F(5.0000001201e-1)

_FASTMATH = {'contract'}  # fused multiply-add only: no reassociation

if NUMBA_AVAILABLE:

    @intrinsic
    def _bits_to_float32(typingctx, bits):
        """Reinterpret int32 bits as float32 (inline, vectorisable)."""
        sig = types.float32(types.int32)

        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], llvm_ir.FloatType())

        return sig, codegen

    @njit(inline='always', fastmath=_FASTMATH)
    def _sigmoid(z):
        """float32 logistic function through a polynomial ``expf``."""
        x = min(max(-z, _EXP_LO), _EXP_HI)
        n = np.floor(x * _LOG2E + _HALF)
        r = x - n * _LN2_HI - n * _LN2_LO
        p = (((((_P0 * r + _P1) * r + _P2) * r + _P3) * r + _P4) * r
             + _P5) * r * r + r + _ONE
        scale = _bits_to_float32((np.int32(n) + np.int32(127)) << 23)
        return _ONE / (_ONE + p * scale)

    @njit(inline='always', fastmath=_FASTMATH)
    def _conv_row(top, mid, bot, w, b, acc, width):
        """acc[co, x] = b[co] + 3x3 conv of three padded C=3 input rows."""
        for x in range(width):
            a0, a1, a2 = b[0], b[1], b[2]
            for ci in range(3):
                for kx in range(3):
                    t = top[ci, x + kx]
                    m = mid[ci, x + kx]
                    d = bot[ci, x + kx]
                    a0 += w[0, ci, 0, kx] * t + w[0, ci, 1, kx] * m \
                        + w[0, ci, 2, kx] * d
                    a1 += w[1, ci, 0, kx] * t + w[1, ci, 1, kx] * m \
                        + w[1, ci, 2, kx] * d
                    a2 += w[2, ci, 0, kx] * t + w[2, ci, 1, kx] * m \
                        + w[2, ci, 2, kx] * d
            acc[0, x] = a0
            acc[1, x] = a1
            acc[2, x] = a2

    @njit(inline='always')
    def _row(ring, stage, row, height, zero):
        """Row ``row`` of a stage's ring buffer; zeros outside the frame."""
        if row < 0 or row >= height:
            return zero
        return ring[stage, row % 3]

    @njit(fastmath=_FASTMATH)
    def _enhance_frame(src, dst, dst_float, as_float, in_w, in_b, mid_w,
                       mid_b, out_w, out_b, layers):
        """SCI on one H x W x 3 uint8 frame, written to dst or dst_float."""
        height, width = src.shape[0], src.shape[1]
        stages = layers + 2  # input, in_conv, one per block application
        # padded rows: columns 0 and width+1 stay zero (conv zero padding)
        ring = np.zeros((stages, 3, 3, width + 2), dtype=np.float32)
        zero = np.zeros((3, width + 2), dtype=np.float32)
        acc = np.empty((3, width), dtype=np.float32)
        for step in range(height + stages):
            # stage 0: uint8 -> float row
            if step < height:
                dest = ring[0, step % 3]
                for x in range(width):
                    for c in range(3):
                        dest[c, x + 1] = _F(src[step, x, c]) / _F255
            # stage 1: ReLU(in_conv)
            row = step - 1
            if 0 <= row < height:
                _conv_row(_row(ring, 0, row - 1, height, zero),
                          _row(ring, 0, row, height, zero),
                          _row(ring, 0, row + 1, height, zero),
                          in_w, in_b, acc, width)
                dest = ring[1, row % 3]
                for c in range(3):
                    for x in range(width):
                        dest[c, x + 1] = max(acc[c, x], _ZERO)
            # stages 2..: f + ReLU(BN(conv(f))), BN folded into mid_w/mid_b
            for block in range(layers):
                stage = block + 2
                row = step - stage
                if 0 <= row < height:
                    _conv_row(_row(ring, stage - 1, row - 1, height, zero),
                              _row(ring, stage - 1, row, height, zero),
                              _row(ring, stage - 1, row + 1, height, zero),
                              mid_w, mid_b, acc, width)
                    prev = ring[stage - 1, row % 3]
                    dest = ring[stage, row % 3]
                    for c in range(3):
                        for x in range(width):
                            dest[c, x + 1] = prev[c, x + 1] + max(
                                acc[c, x], _ZERO)
            # output: sigmoid(out_conv) -> illumination -> enhanced
            row = step - stages
            if 0 <= row < height:
                last = stages - 1
                _conv_row(_row(ring, last, row - 1, height, zero),
                          _row(ring, last, row, height, zero),
                          _row(ring, last, row + 1, height, zero),
                          out_w, out_b, acc, width)
                for x in range(width):
                    for c in range(3):
                        xv = _F(src[row, x, c]) / _F255
                        illum = min(max(_sigmoid(acc[c, x]) + xv,
                                        _ILLUM_MIN), _ONE)
                        value = min(max(xv / illum, _ZERO), _ONE)
                        if as_float:
                            dst_float[row, x, c] = value
                        else:
                            dst[row, x, c] = np.uint8(
                                value * _F255 + _HALF)

    @njit(cache=True)
    def _enhance_serial(frames, dst, dst_float, as_float, in_w, in_b, mid_w,
                        mid_b, out_w, out_b, layers):
        for t in range(frames.shape[0]):
            _enhance_frame(frames[t], dst[t], dst_float[t], as_float, in_w,
                           in_b, mid_w, mid_b, out_w, out_b, layers)

    @njit(cache=True, parallel=True)
    def _enhance_parallel(frames, dst, dst_float, as_float, in_w, in_b,
                          mid_w, mid_b, out_w, out_b, layers):
        for t in prange(frames.shape[0]):
            _enhance_frame(frames[t], dst[t], dst_float[t], as_float, in_w,
                           in_b, mid_w, mid_b, out_w, out_b, layers)


_PARALLEL_LOCK = threading.Lock()


def sci_enhance_uint8(frames: np.ndarray, params: Dict[str, np.ndarray],
                      layers: int = 1, output_dtype: str = 'uint8',
                      num_threads: int = 1,
                      out: Optional[np.ndarray] = None) -> np.ndarray:
    """Enhance T x H x W x 3 uint8 RGB frames with the fused kernel.

    Args:
        frames (np.ndarray): uint8 T x H x W x 3 RGB (C-contiguous).
        params (dict[str, np.ndarray]): :meth:`SCINet.folded_parameters`
            of a network with ``channels=3``.
        layers (int): Applications of the shared block.
        output_dtype (str): ``'uint8'`` (rounded half up) or ``'float32'``
            (enhanced image in [0, 1]).
        num_threads (int): Frames are spread over this many numba threads;
            1 runs without touching numba's thread pool.
        out (np.ndarray, optional): Preallocated output array.

    Returns:
        np.ndarray: T x H x W x 3 enhanced frames of ``output_dtype``.
    """
    if not NUMBA_AVAILABLE:
        raise RuntimeError('sci_enhance_uint8 needs numba; use the torch '
                           'path (SCIEnhance(backend="torch")) instead')
    if params['in_w'].shape != (3, 3, 3, 3):
        raise ValueError('the fused SCI kernel supports channels=3 only, '
                         f'got in_conv weight {params["in_w"].shape}')
    frames = np.ascontiguousarray(frames)
    as_float = output_dtype == 'float32'
    if out is None:
        out = np.empty(frames.shape,
                       dtype=np.float32 if as_float else np.uint8)
    # the unused output is a 1-frame dummy of matching rank
    dummy_shape = (frames.shape[0], 1, 1, 3)
    dst = np.empty(dummy_shape, np.uint8) if as_float else out
    dst_float = out if as_float else np.empty(dummy_shape, np.float32)
    args = (frames, dst, dst_float, as_float, params['in_w'],
            params['in_b'], params['mid_w'], params['mid_b'],
            params['out_w'], params['out_b'], int(layers))
    if num_threads <= 1 or frames.shape[0] == 1:
        _enhance_serial(*args)
    else:
        with _PARALLEL_LOCK:
            previous = numba.get_num_threads()
            numba.set_num_threads(min(num_threads, numba.config.NUMBA_NUM_THREADS))
            try:
                _enhance_parallel(*args)
            finally:
                numba.set_num_threads(previous)
    return out
