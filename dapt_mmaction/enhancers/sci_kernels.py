"""Fused CPU kernel for SCI on uint8 video frames (optional, needs numba).

One pass over a clip computes uint8 -> float, the three 3x3 convs (eval BN
folded into the middle one), the sigmoid, the illumination clamp, the divide
and the rounding back to uint8, streaming rows through small ring buffers so
that every intermediate stays in cache. torch spends most of its time on
memory traffic between the layers and on the element-wise tail; this kernel
is 3-5x faster than torch on one thread (benchmarks/bench_sci.py,
docs/sci.md).

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

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _exp(x):
        """float32 exp(x) through a polynomial (vectorisable, ~1 ulp)."""
        x = min(max(x, _EXP_LO), _EXP_HI)
        n = np.floor(x * _LOG2E + _HALF)
        r = x - n * _LN2_HI - n * _LN2_LO
        p = (((((_P0 * r + _P1) * r + _P2) * r + _P3) * r + _P4) * r
             + _P5) * r * r + r + _ONE
        return p * _bits_to_float32((np.int32(n) + np.int32(127)) << 23)

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _enhanced_value(z, xv):
        """clamp(x / clamp(sigmoid(z) + x, 1e-4, 1), 0, 1) with one divide.

        With e = exp(-z): sigmoid(z) = 1 / (1 + e), so x / (sigmoid + x)
        = u / (1 + u) with u = x (1 + e), and sigmoid + x >= 1 exactly when
        1 + u >= 1 + e (then the illumination is clamped to 1 and the
        result is x). The lower clamp (1e-4) needs sigmoid + x < 1e-4, so
        x < 1e-4: for x = k / 255 that is x = 0, where every branch gives
        0, as does u / (1 + u); the result is in [0, 1) without clamping.
        So this is the same function, for the inputs the kernel sees
        (decoded uint8 / 255), with one division instead of two and no
        dead branches.
        """
        one_e = _ONE + _exp(-z)
        u = xv * one_e
        den = _ONE + u  # illumination * (1 + e)
        return xv if den >= one_e else u / den

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _conv_row(top, mid, bot, w, b, acc, width):
        """acc[co, x] = b[co] + 3x3 conv (C=3) of three zero-padded rows.

        One pass per input channel with the three output channels in
        registers: the x loop is innermost and small enough for LLVM to
        unroll the taps and vectorise it (all 81 taps in one loop body are
        not unrolled, and then nothing is vectorised).
        """
        for co in range(3):
            bias = b[co]
            for x in range(width):
                acc[co, x] = bias
        for ci in range(3):
            for x in range(width):
                a0, a1, a2 = acc[0, x], acc[1, x], acc[2, x]
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
        return ring[stage, row % ring.shape[1]]

    @njit(inline='always')
    def _zero_gaps(dest, count, pitch, width):
        """Re-zero each frame's padding columns (the conv wrote there)."""
        for c in range(3):
            for g in range(count):
                dest[c, g * pitch] = _ZERO
                dest[c, g * pitch + width + 1] = _ZERO

    # Index rule for the loops below: an index must be a loop variable
    # plus a constant. numba wraps negative indices, and for ``base + x``
    # with a run-time ``base`` LLVM cannot prove the index non-negative,
    # keeps the wrap-around select and does not vectorise the loop (10x
    # slower); so rows are sliced first and indexed from 0.

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _load_pixels(pixels, planar, dest, width):
        """One interleaved uint8 row (3W) -> planar float rows in [0, 1].

        De-interleaving the bytes first and converting contiguous runs
        afterwards lets both loops vectorise. ``x / 255`` stays a true
        division (as in torch), so the input is exactly torch's.
        """
        p0, p1, p2 = planar[0], planar[1], planar[2]
        for x in range(width):
            p0[x] = pixels[3 * x]
            p1[x] = pixels[3 * x + 1]
            p2[x] = pixels[3 * x + 2]
        for c in range(3):
            src, out = planar[c], dest[c]
            for x in range(width):
                out[x] = _F(src[x]) / _F255

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _input_row(src, step, dest, planar, count, pitch, width):
        """Stage 0: row ``step`` of every frame, uint8 -> float in [0, 1]."""
        for g in range(count):
            base = g * pitch + 1
            _load_pixels(src[g, step], planar, dest[:, base:base + width],
                         width)

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _conv_stage_row(ring, stage, row, height, zero, w, b, acc, span,
                        residual, count, pitch, width):
        """Row ``row`` of stage ``stage`` from three rows of the previous.

        ``residual`` False: ReLU(in_conv(x)) (stage 1); True: the shared
        block ``f + ReLU(BN(conv(f)))`` with BN folded into ``w, b``.
        """
        feat = _row(ring, stage - 1, row, height, zero)
        _conv_row(_row(ring, stage - 1, row - 1, height, zero), feat,
                  _row(ring, stage - 1, row + 1, height, zero), w, b, acc,
                  span)
        dest = ring[stage, row % ring.shape[1]]
        for c in range(3):
            if residual:
                for x in range(span):
                    dest[c, x + 1] = feat[c, x + 1] + max(acc[c, x], _ZERO)
            else:
                for x in range(span):
                    dest[c, x + 1] = max(acc[c, x], _ZERO)
        _zero_gaps(dest, count, pitch, width)

    @njit(inline='always', fastmath=_FASTMATH, error_model='numpy')
    def _enhanced_tail(acc, image, as_float, result8, span):
        """sigmoid(out_conv) -> illumination -> x / illumination, planar.

        Float results overwrite ``acc``; uint8 ones (rounded half up and
        converted in the same loop) go to ``result8``.
        """
        for c in range(3):
            z, xs = acc[c], image[c]
            if as_float:
                for x in range(span):
                    z[x] = _enhanced_value(z[x], xs[x + 1])
            else:
                r8 = result8[c]
                for x in range(span):
                    value = _enhanced_value(z[x], xs[x + 1])
                    r8[x] = np.uint8(value * _F255 + _HALF)

    @njit(inline='always')
    def _interleave(planes, base, width, out):
        """Planar row ``planes[:, base:base + width]`` -> interleaved 3W."""
        c0 = planes[0, base:base + width]
        c1 = planes[1, base:base + width]
        c2 = planes[2, base:base + width]
        for x in range(width):
            out[3 * x] = c0[x]
            out[3 * x + 1] = c1[x]
            out[3 * x + 2] = c2[x]

    @njit(fastmath=_FASTMATH, error_model='numpy')
    def _enhance_group(src, dst, dst_float, as_float, in_w, in_b, mid_w,
                       mid_b, out_w, out_b, layers):
        """SCI on G frames (G x H x 3W uint8), written to dst/dst_float.

        Row y of all G frames is laid side by side, each zero-padded, as
        one long row of G * (W + 2) values: one conv over it computes every
        frame (the padding separates them), and the loops get long enough
        for vectorisation to pay off on small frames.

        Rows stream through the stages: at step s, stage k makes its row
        s - k from rows s-k-1..s-k+1 of stage k - 1, so each stage keeps
        only a few rows. The input stage keeps ``stages + 1`` rows because
        the output needs input row s - stages again.
        """
        count, height, width = src.shape[0], src.shape[1], src.shape[2] // 3
        pitch = width + 2
        span = count * pitch - 2  # conv outputs: centres 1 .. span
        stages = layers + 2  # input, in_conv, one per block application
        depth = stages + 1
        ring = np.zeros((stages, depth, 3, count * pitch), dtype=np.float32)
        zero = np.zeros((3, count * pitch), dtype=np.float32)
        acc = np.empty((3, span), dtype=np.float32)
        planar = np.empty((3, width), dtype=np.uint8)
        result8 = np.empty((3, span), dtype=np.uint8)
        for step in range(height + stages):
            if step < height:
                _input_row(src, step, ring[0, step % depth], planar, count,
                           pitch, width)
            if 0 <= step - 1 < height:
                _conv_stage_row(ring, 1, step - 1, height, zero, in_w, in_b,
                                acc, span, False, count, pitch, width)
            for stage in range(2, stages):
                if 0 <= step - stage < height:
                    _conv_stage_row(ring, stage, step - stage, height, zero,
                                    mid_w, mid_b, acc, span, True, count,
                                    pitch, width)
            row = step - stages  # output: needs input row ``row`` again
            if 0 <= row < height:
                last = stages - 1
                _conv_row(_row(ring, last, row - 1, height, zero),
                          _row(ring, last, row, height, zero),
                          _row(ring, last, row + 1, height, zero),
                          out_w, out_b, acc, span)
                _enhanced_tail(acc, ring[0, row % depth], as_float, result8,
                               span)
                for g in range(count):  # acc[:, g * pitch + x]: pixel x
                    if as_float:
                        _interleave(acc, g * pitch, width, dst_float[g, row])
                    else:
                        _interleave(result8, g * pitch, width, dst[g, row])

    @njit(cache=True, error_model='numpy')
    def _enhance_serial(frames, dst, dst_float, as_float, in_w, in_b, mid_w,
                        mid_b, out_w, out_b, layers, group):
        for start in range(0, frames.shape[0], group):
            stop = min(start + group, frames.shape[0])
            _enhance_group(frames[start:stop], dst[start:stop],
                           dst_float[start:stop], as_float, in_w, in_b,
                           mid_w, mid_b, out_w, out_b, layers)

    @njit(cache=True, parallel=True, error_model='numpy')
    def _enhance_parallel(frames, dst, dst_float, as_float, in_w, in_b,
                          mid_w, mid_b, out_w, out_b, layers, group):
        groups = (frames.shape[0] + group - 1) // group
        for index in prange(groups):
            start = index * group
            stop = min(start + group, frames.shape[0])
            _enhance_group(frames[start:stop], dst[start:stop],
                           dst_float[start:stop], as_float, in_w, in_b,
                           mid_w, mid_b, out_w, out_b, layers)


#: Frames are grouped so that one row of a group has about this many values
#: (long loops for small frames; short enough to keep the rows in cache).
_GROUP_ROW_LENGTH = 1024

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
    out_dtype = np.float32 if as_float else np.uint8
    if out is None:
        out = np.empty(frames.shape, dtype=out_dtype)
    elif (out.shape != frames.shape or out.dtype != out_dtype
          or not out.flags['C_CONTIGUOUS']):
        raise ValueError(f'out must be a C-contiguous {np.dtype(out_dtype)} '
                         f'array of shape {frames.shape}, got {out.dtype} '
                         f'{out.shape}')
    count, height, width = frames.shape[:3]
    # the kernel sees rows as 3W interleaved values (views, no copies)
    rows = frames.reshape(count, height, 3 * width)
    out_rows = out.reshape(count, height, 3 * width)
    # the unused output is a 1-pixel dummy of matching rank
    dummy_shape = (count, 1, 3)
    dst = np.empty(dummy_shape, np.uint8) if as_float else out_rows
    dst_float = out_rows if as_float else np.empty(dummy_shape, np.float32)
    group = max(1, min(count, _GROUP_ROW_LENGTH // (width + 2)))
    if num_threads > 1:  # at least one group per thread
        group = max(1, min(group, -(-count // num_threads)))
    args = (rows, dst, dst_float, as_float, params['in_w'],
            params['in_b'], params['mid_w'], params['mid_b'],
            params['out_w'], params['out_b'], int(layers), group)
    if num_threads <= 1 or count == 1:
        _enhance_serial(*args)
    else:
        with _PARALLEL_LOCK:
            previous = numba.get_num_threads()
            numba.set_num_threads(
                min(num_threads, numba.config.NUMBA_NUM_THREADS))
            try:
                _enhance_parallel(*args)
            finally:
                numba.set_num_threads(previous)
    return out
