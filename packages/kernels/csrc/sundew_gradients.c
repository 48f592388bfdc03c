// Gradient kernels that tfjs-backend-wasm 4.22 lacks (or gets wrong), for
// training tf.layers models on WASM: convolution filter gradients, depthwise
// input gradients, max-pool gradients and the segment sum of embeddings.
//
// Same rules as sundew_kernels.c (linked into the same module): no static
// data, no stack, no libc; every kernel writes only its output buffer, and
// zeroes it first (the backend's outputs are uninitialised memory).
// Tensors are NHWC; the geometry (output size, top/left padding) is computed
// by tfjs's backend_util on the TypeScript side, so 'same', 'valid', explicit
// pads and dimRoundingMode all arrive here as plain numbers.

#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name)))
typedef float f32;

static inline void zero(f32* restrict p, long n) { __builtin_memset(p, 0, (unsigned long)n * sizeof(f32)); }

// Convolution geometry (as tfjs's Conv2DInfo): input H×W×CI, output OH×OW,
// filter KH×KW, strides, dilations, padding top/left.
#define GEOMETRY_PARAMS int B, int H, int W, int CI, int OH, int OW, int KH, int KW, int sh, int sw, int dh, int dw, int pt, int pl

// dW[kh, kw, ci, co] = Σ_{b, oh, ow} x[b, oh·sh + kh·dh − pt, ow·sw + kw·dw − pl, ci] · dy[b, oh, ow, co]
// (Conv2DBackpropFilter). Per output pixel, dy's row of CO floats is
// multiplied into the KH·KW·CI rows of dW it touches: dW stays in cache
// (KH·KW·CI·CO floats) and the CO loop is the SIMD one.
EXPORT(conv2d_backprop_filter)
void conv2d_backprop_filter(const f32* restrict x, const f32* restrict dy, f32* restrict dwt, GEOMETRY_PARAMS,
                            int CO) {
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
