// Gradient kernels that tfjs-backend-wasm 4.22 lacks (or gets wrong, or runs
// as scalar loops), for training tf.layers models on WASM: convolution
// gradients, depthwise gradients, pooling gradients, the segment sum of
// embedding gradients, and the row gather of model.fit's batches.
//
// Same rules as sundew_kernels.c (linked into the same module): no static
// data, no stack, no libc; every kernel writes only its output buffer, and
// zeroes it first (the backend's outputs are uninitialised memory).
// Tensors are NHWC; the geometry (output size, top/left padding) is computed
// by tfjs's backend_util on the TypeScript side, so 'same', 'valid', explicit
// pads and dimRoundingMode all arrive here as plain numbers.

#include <stdint.h>
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
typedef float f32;

static inline void zero(f32* restrict p, long n) { __builtin_memset(p, 0, (unsigned long)n * sizeof(f32)); }

// Convolution geometry (as tfjs's Conv2DInfo): input H×W×CI, output OH×OW,
// filter KH×KW, strides, dilations, padding top/left.
#define GEOMETRY_PARAMS int B, int H, int W, int CI, int OH, int OW, int KH, int KW, int sh, int sw, int dh, int dw, int pt, int pl

// dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, ci] · dy[b, oh, ow, co]
// (Conv2DBackpropFilter).
//
// When CO is a multiple of 4, each (tap, pair of input channels, block of up
// to 16 output channels) of dW is summed over every output pixel in SIMD
// registers (2 × NV accumulators), so dW is written once and dy's rows are
// read once per block. Otherwise a plain loop adds each pixel's outer product.

#define FILTER_BLOCK(NV)                                                                                          \
  static void filter_block_##NV(const f32* restrict x, const f32* restrict dy, f32* restrict dwt, int B, int H,   \
                                int W, int CI, int OH, int OW, int sh, int sw, int CO, int ih0, int iw0, int ci,  \
                                int pair, int co, long row) {                                                     \
    v128_t a[2][NV];                                                                                              \
    for (int j = 0; j < NV; j++) a[0][j] = a[1][j] = wasm_f32x4_const_splat(0.0f);                                \
    for (int b = 0; b < B; b++) {                                                                                 \
      for (int oh = 0; oh < OH; oh++) {                                                                           \
        const int ih = oh * sh + ih0;                                                                             \
        if (ih < 0 || ih >= H) continue;                                                                          \
        const f32* restrict xrow = x + ((long)b * H + ih) * W * CI + ci;                                          \
        const f32* restrict grow = dy + ((long)b * OH + oh) * OW * CO + co;                                       \
        for (int ow = 0; ow < OW; ow++) {                                                                         \
          const int iw = ow * sw + iw0;                                                                           \
          if (iw < 0 || iw >= W) continue;                                                                        \
          const f32* restrict xp = xrow + (long)iw * CI;                                                          \
          const f32* restrict g = grow + (long)ow * CO;                                                           \
          const v128_t s0 = wasm_f32x4_splat(xp[0]);                                                              \
          const v128_t s1 = wasm_f32x4_splat(pair ? xp[1] : 0.0f);                                                \
          for (int j = 0; j < NV; j++) {                                                                          \
            const v128_t gj = wasm_v128_load(g + 4 * j);                                                          \
            a[0][j] = wasm_f32x4_add(a[0][j], wasm_f32x4_mul(s0, gj));                                            \
            a[1][j] = wasm_f32x4_add(a[1][j], wasm_f32x4_mul(s1, gj));                                            \
          }                                                                                                       \
        }                                                                                                         \
      }                                                                                                           \
    }                                                                                                             \
    for (int j = 0; j < NV; j++) wasm_v128_store(dwt + row + co + 4 * j, a[0][j]);                                \
    if (pair)                                                                                                     \
      for (int j = 0; j < NV; j++) wasm_v128_store(dwt + row + CO + co + 4 * j, a[1][j]);                         \
  }
FILTER_BLOCK(4)
FILTER_BLOCK(2)
FILTER_BLOCK(1)

EXPORT(conv2d_backprop_filter)
void conv2d_backprop_filter(const f32* restrict x, const f32* restrict dy, f32* restrict dwt, GEOMETRY_PARAMS,
                            int CO) {
  if (CO % 4 == 0) {
    for (int kh = 0; kh < KH; kh++) {
      for (int kw = 0; kw < KW; kw++) {
        const int ih0 = kh * dh - pt, iw0 = kw * dw - pl;
        for (int ci = 0; ci < CI; ci += 2) {
          const int pair = ci + 1 < CI;
          const long row = (((long)kh * KW + kw) * CI + ci) * CO;
          int co = 0;
          for (; co + 16 <= CO; co += 16)
            filter_block_4(x, dy, dwt, B, H, W, CI, OH, OW, sh, sw, CO, ih0, iw0, ci, pair, co, row);
          if (co + 8 <= CO) {
            filter_block_2(x, dy, dwt, B, H, W, CI, OH, OW, sh, sw, CO, ih0, iw0, ci, pair, co, row);
            co += 8;
          }
          if (co + 4 <= CO) filter_block_1(x, dy, dwt, B, H, W, CI, OH, OW, sh, sw, CO, ih0, iw0, ci, pair, co, row);
        }
      }
    }
    return;
  }
  zero(dwt, (long)KH * KW * CI * CO);
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * CO;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            const f32* restrict xr = x + (((long)b * H + ih) * W + iw) * CI;
            f32* restrict wr = dwt + ((long)kh * KW + kw) * CI * CO;
            for (int ci = 0; ci < CI; ci++) {
              const f32 s = xr[ci];
              f32* restrict w = wr + (long)ci * CO;
              for (int co = 0; co < CO; co++) w[co] += s * g[co];
            }
          }
        }
      }
    }
  }
}

// wt[t, co, ci] = w[t, ci, co] for each of the KH·KW taps t (the filter with
// its channel axes swapped, for conv2d_backprop_input's SIMD loop over ci).
EXPORT(transpose_filter)
void transpose_filter(const f32* restrict w, f32* restrict wt, int taps, int CI, int CO) {
  for (long t = 0; t < taps; t++) {
    const f32* restrict src = w + t * CI * CO;
    f32* restrict dst = wt + t * CI * CO;
    for (int ci = 0; ci < CI; ci++)
      for (int co = 0; co < CO; co++) dst[(long)co * CI + ci] = src[(long)ci * CO + co];
  }
}

// The output pixel a tap reads input row (or column) i from, or −1.
static inline int source_of(int i, int k, int pad, int dilation, int stride, int out) {
  const int t = i + pad - k * dilation;
  if (t < 0 || t % stride != 0) return -1;
  const int o = t / stride;
  return o < out ? o : -1;
}

// dx[b, ih, iw, ci] = Σ_{taps reading (ih, iw)} Σ_co w[kh, kw, ci, co] · dy[b, oh, ow, co]
// (Conv2DBackpropInput), from wt = transpose_filter(w). Each dx pixel is
// summed once, 8 (then 4) channels at a time in SIMD registers.
EXPORT(conv2d_backprop_input)
void conv2d_backprop_input(const f32* restrict dy, const f32* restrict wt, f32* restrict dx, GEOMETRY_PARAMS,
                           int CO) {
  for (int b = 0; b < B; b++) {
    for (int ih = 0; ih < H; ih++) {
      for (int iw = 0; iw < W; iw++) {
        f32* restrict d = dx + (((long)b * H + ih) * W + iw) * CI;
        int ci = 0;
        for (; ci + 8 <= CI; ci += 8) {
          v128_t a0 = wasm_f32x4_const_splat(0.0f), a1 = a0;
          for (int kh = 0; kh < KH; kh++) {
            const int oh = source_of(ih, kh, pt, dh, sh, OH);
            if (oh < 0) continue;
            for (int kw = 0; kw < KW; kw++) {
              const int ow = source_of(iw, kw, pl, dw, sw, OW);
              if (ow < 0) continue;
              const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * CO;
              const f32* restrict w = wt + ((long)kh * KW + kw) * CO * CI + ci;
              for (int co = 0; co < CO; co++) {
                const v128_t s = wasm_f32x4_splat(g[co]);
                a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(s, wasm_v128_load(w + (long)co * CI)));
                a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(s, wasm_v128_load(w + (long)co * CI + 4)));
              }
            }
          }
          wasm_v128_store(d + ci, a0);
          wasm_v128_store(d + ci + 4, a1);
        }
        for (; ci + 4 <= CI; ci += 4) {
          v128_t a0 = wasm_f32x4_const_splat(0.0f);
          for (int kh = 0; kh < KH; kh++) {
            const int oh = source_of(ih, kh, pt, dh, sh, OH);
            if (oh < 0) continue;
            for (int kw = 0; kw < KW; kw++) {
              const int ow = source_of(iw, kw, pl, dw, sw, OW);
              if (ow < 0) continue;
              const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * CO;
              const f32* restrict w = wt + ((long)kh * KW + kw) * CO * CI + ci;
              for (int co = 0; co < CO; co++)
                a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_f32x4_splat(g[co]), wasm_v128_load(w + (long)co * CI)));
            }
          }
          wasm_v128_store(d + ci, a0);
        }
        for (; ci < CI; ci++) {
          f32 a = 0.0f;
          for (int kh = 0; kh < KH; kh++) {
            const int oh = source_of(ih, kh, pt, dh, sh, OH);
            if (oh < 0) continue;
            for (int kw = 0; kw < KW; kw++) {
              const int ow = source_of(iw, kw, pl, dw, sw, OW);
              if (ow < 0) continue;
              const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * CO;
              const f32* restrict w = wt + ((long)kh * KW + kw) * CO * CI + ci;
              for (int co = 0; co < CO; co++) a += g[co] * w[(long)co * CI];
            }
          }
          d[ci] = a;
        }
      }
    }
  }
}

// dW[kh, kw, ci, m] = Σ x[b, ih, iw, ci] · dy[b, oh, ow, ci·M + m]
// (DepthwiseConv2dNativeBackpropFilter, channel multiplier M).
EXPORT(depthwise_backprop_filter)
void depthwise_backprop_filter(const f32* restrict x, const f32* restrict dy, f32* restrict dwt, GEOMETRY_PARAMS,
                               int M) {
  const long CO = (long)CI * M;
  zero(dwt, (long)KH * KW * CO);
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * CO;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            const f32* restrict xr = x + (((long)b * H + ih) * W + iw) * CI;
            f32* restrict wr = dwt + ((long)kh * KW + kw) * CO;
            if (M == 1) {
              for (int c = 0; c < CI; c++) wr[c] += xr[c] * g[c];
            } else {
              for (int ci = 0; ci < CI; ci++) {
                const f32 s = xr[ci];
                for (int m = 0; m < M; m++) wr[ci * M + m] += s * g[ci * M + m];
              }
            }
          }
        }
      }
    }
  }
}

// dx[b, ih, iw, ci] = Σ_{oh, ow, kh, kw, m} w[kh, kw, ci, m] · dy[b, oh, ow, ci·M + m] over the
// taps that read (ih, iw) (DepthwiseConv2dNativeBackpropInput).
EXPORT(depthwise_backprop_input)
void depthwise_backprop_input(const f32* restrict dy, const f32* restrict filter, f32* restrict dx, GEOMETRY_PARAMS,
                              int M) {
  const long CO = (long)CI * M;
  zero(dx, (long)B * H * W * CI);
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * CO;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            f32* restrict xr = dx + (((long)b * H + ih) * W + iw) * CI;
            const f32* restrict wr = filter + ((long)kh * KW + kw) * CO;
            if (M == 1) {
              for (int c = 0; c < CI; c++) xr[c] += wr[c] * g[c];
            } else {
              for (int ci = 0; ci < CI; ci++) {
                f32 s = 0.0f;
                for (int m = 0; m < M; m++) s += wr[ci * M + m] * g[ci * M + m];
                xr[ci] += s;
              }
            }
          }
        }
      }
    }
  }
}

// Max-pool gradient (MaxPoolGrad): each window's dy goes to the first input
// holding the window's maximum (strictly greater, from −∞: the cpu backend's
// rule, so ties and NaN go where they go there; a window wholly in the
// padding passes nothing). C channels, pooled per channel.
EXPORT(max_pool_grad)
void max_pool_grad(const f32* restrict x, const f32* restrict dy, f32* restrict dx, GEOMETRY_PARAMS) {
  const int C = CI;
  zero(dx, (long)B * H * W * C);
  if (C % 4 == 0 && (long)B * H * W * C < 0x7fffffffL) {
    // 4 channels at a time: a SIMD running max and the (first) element index it came from.
    for (int b = 0; b < B; b++) {
      for (int oh = 0; oh < OH; oh++) {
        const int h0 = oh * sh - pt;
        for (int ow = 0; ow < OW; ow++) {
          const int w0 = ow * sw - pl;
          const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * C;
          for (int c = 0; c < C; c += 4) {
            v128_t best = wasm_f32x4_splat(-__builtin_inff());
            v128_t at = wasm_i32x4_splat(-1);
            for (int kh = 0; kh < KH; kh++) {
              const int ih = h0 + kh * dh;
              if (ih < 0 || ih >= H) continue;
              for (int kw = 0; kw < KW; kw++) {
                const int iw = w0 + kw * dw;
                if (iw < 0 || iw >= W) continue;
                const int i = ((b * H + ih) * W + iw) * C + c;
                const v128_t v = wasm_v128_load(x + i);
                const v128_t gt = wasm_f32x4_gt(v, best);
                best = wasm_v128_bitselect(v, best, gt);
                at = wasm_v128_bitselect(wasm_i32x4_splat(i), at, gt);
              }
            }
            const int a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1);
            const int a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
            if (a0 >= 0) dx[a0] += g[c];
            if (a1 >= 0) dx[a1 + 1] += g[c + 1];
            if (a2 >= 0) dx[a2 + 2] += g[c + 2];
            if (a3 >= 0) dx[a3 + 3] += g[c + 3];
          }
        }
      }
    }
    return;
  }
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      const int h0 = oh * sh - pt;
      for (int ow = 0; ow < OW; ow++) {
        const int w0 = ow * sw - pl;
        const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * C;
        for (int c = 0; c < C; c++) {
          f32 best = -__builtin_inff();
          long at = -1;
          for (int kh = 0; kh < KH; kh++) {
            const int ih = h0 + kh * dh;
            if (ih < 0 || ih >= H) continue;
            for (int kw = 0; kw < KW; kw++) {
              const int iw = w0 + kw * dw;
              if (iw < 0 || iw >= W) continue;
              const long i = (((long)b * H + ih) * W + iw) * C + c;
              if (x[i] > best) {
                best = x[i];
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] += g[c];
        }
      }
    }
  }
}

// Average-pool gradient (AvgPoolGrad): each window's dy / (KH·KW) to every
// input the window covers. The divisor counts padded taps too, as tfjs's cpu
// and wasm kernels do (its forward divides by the taps inside the input, so
// at 'same'-padded borders tfjs's gradient is not the forward's: kept, to
// equal tfjs).
EXPORT(avg_pool_grad)
void avg_pool_grad(const f32* restrict dy, f32* restrict dx, GEOMETRY_PARAMS) {
  const int C = CI;
  const f32 scale = 1.0f / (f32)(KH * KW);
  zero(dx, (long)B * H * W * C);
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const f32* restrict g = dy + (((long)b * OH + oh) * OW + ow) * C;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            f32* restrict d = dx + (((long)b * H + ih) * W + iw) * C;
            for (int c = 0; c < C; c++) d[c] += g[c] * scale;
          }
        }
      }
    }
  }
}

// out[s, :] = Σ_{i : ids[i] = s} x[i, :] for s in [0, segments); rows with an
// id outside that range are dropped, as TensorFlow does (UnsortedSegmentSum,
// the gradient of an embedding lookup).
EXPORT(unsorted_segment_sum)
void unsorted_segment_sum(const f32* restrict x, const int32_t* restrict ids, f32* restrict out, int rows, int inner,
                          int segments) {
  zero(out, (long)segments * inner);
  for (int i = 0; i < rows; i++) {
    const int32_t s = ids[i];
    if (s < 0 || s >= segments) continue;
    const f32* restrict xr = x + (long)i * inner;
    f32* restrict o = out + (long)s * inner;
    for (int k = 0; k < inner; k++) o[k] += xr[k];
  }
}

// out[b, o, i, :] = x[b, o, ids[b, i], :] (GatherV2 of 4-byte elements, as
// [batch, outer, dim, slice]; n ids per batch). Returns −1, or the position of
// the first id outside [0, dim) (then nothing is written).
EXPORT(gather_rows)
int gather_rows(const uint32_t* restrict x, const int32_t* restrict ids, uint32_t* restrict out, int batch, int outer,
                int dim, int slice, int n) {
  for (long k = 0; k < (long)batch * n; k++)
    if (ids[k] < 0 || ids[k] >= dim) return (int)k;
  for (int b = 0; b < batch; b++) {
    for (int o = 0; o < outer; o++) {
      const uint32_t* restrict src = x + ((long)b * outer + o) * dim * slice;
      uint32_t* restrict dst = out + ((long)b * outer + o) * n * slice;
      const int32_t* restrict id = ids + (long)b * n;
      for (int i = 0; i < n; i++)
        __builtin_memcpy(dst + (long)i * slice, src + (long)id[i] * slice, (unsigned long)slice * sizeof(uint32_t));
    }
  }
  return -1;
}
