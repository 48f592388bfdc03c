// Fused kernels for Sundew's training step on tfjs-backend-wasm.
//
// Built by scripts/build-wasm.sh (clang, wasm32 + SIMD128) into assets/*.wasm.
// The module imports tfjs-backend-wasm's own linear memory and works on the
// pointers the backend gives for tensors, so no data is copied in or out.
// Rules that keep it safe inside someone else's memory: no static data, no
// stack (every temporary lives in a caller-provided buffer or in locals), no
// libc. Every kernel writes only its output buffers.

#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name)))
typedef float f32;
typedef uint32_t u32;

// ---------------------------------------------------------------- dropout hash
// Element i of a dropout mask with seed s is kept when hash(s, i) ≥ rate·2³².
// The same function is written in TypeScript (src/dropout-mask.ts): every
// backend draws the same masks.
static inline u32 mix32(u32 x) {
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

static inline f32 keep_scale(u32 seed, u32 i, u32 threshold, f32 inv_keep) {
  return mix32(i * 0x9e3779b9u + seed) >= threshold ? inv_keep : 0.0f;
}

// ---------------------------------------------------------------- math
typedef union {
  f32 f;
  int32_t i;
} bits32;

// Subnormal floats cost WASM SIMD on x86 ~100 cycles each (V8 leaves the
// flush-to-zero mode off): a trained model's peaked softmax and saturated GELUs
// made a training step 10-40 % slower. So values below 1e-30 are flushed to zero.
static inline f32 flush(f32 x) { return (x < 1e-30f && x > -1e-30f) ? 0.0f : x; }

// e^x to ~2 ulp on [-86, 88] (Cody–Waite reduction, Taylor degree 6); 0 below
// -86, where e^x would be subnormal.
static inline f32 exp_approx(f32 x) {
  const f32 clamped = x < -86.0f ? -86.0f : (x > 88.0f ? 88.0f : x);
  f32 n = __builtin_rintf(clamped * 1.44269504088896341f);
  f32 r = clamped - n * 0.693145751953125f - n * 1.42860682030941723e-6f;
  f32 p = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666672f + r * (0.0416666679f + r * (0.00833333377f + r * 0.00138888892f)))));
  bits32 s;
  s.i = ((int32_t)n + 127) << 23;
  return x < -86.0f ? 0.0f : p * s.f;
}

// erf(x), Abramowitz & Stegun 7.1.26 (absolute error ≤ 1.5e-7).
static inline f32 erf_approx(f32 x) {
  f32 a = x < 0 ? -x : x;
  f32 t = 1.0f / (1.0f + 0.3275911f * a);
  f32 y = 1.0f - (((((1.061405429f * t - 1.453152027f) * t) + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t *
                     exp_approx(-a * a);
  return x < 0 ? -y : y;
}

#define SQRT_2_OVER_PI 0.797884560802865f
#define GELU_C 0.044715f
#define INV_SQRT_2 0.707106781186548f
#define INV_SQRT_2PI 0.398942280401433f

// GELU and its derivative: exact (erf), and the tanh approximation written as
// x·σ(2u) since ½(1 + tanh u) = σ(2u).
static inline f32 gelu_erf(f32 x) { return 0.5f * x * (1.0f + erf_approx(x * INV_SQRT_2)); }

static inline f32 gelu_tanh(f32 x) {
  const f32 u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
  return x / (1.0f + exp_approx(-2.0f * u));
}

static inline f32 gelu_erf_grad(f32 x) {
  return 0.5f * (1.0f + erf_approx(x * INV_SQRT_2)) + x * INV_SQRT_2PI * exp_approx(-0.5f * x * x);
}

static inline f32 gelu_tanh_grad(f32 x) {
  const f32 u = SQRT_2_OVER_PI * (x + GELU_C * x * x * x);
  const f32 s = 1.0f / (1.0f + exp_approx(-2.0f * u));
  const f32 du = SQRT_2_OVER_PI * (1.0f + 3.0f * GELU_C * x * x);
  return s + x * s * (1.0f - s) * 2.0f * du;
}

// ---------------------------------------------------------------- layer norm
// y = (x − mean)·rstd·gamma + beta over the last axis of [rows, cols].
EXPORT(layer_norm)
void layer_norm(const f32* restrict x, const f32* restrict gamma, const f32* restrict beta, f32* restrict y,
                f32* restrict mean, f32* restrict rstd, int rows, int cols, f32 eps) {
  const f32 inv_cols = 1.0f / (f32)cols;
  for (int r = 0; r < rows; r++) {
    const f32* xr = x + (long)r * cols;
    f32* yr = y + (long)r * cols;
    f32 s = 0.0f;
    for (int c = 0; c < cols; c++) s += xr[c];
    const f32 m = s * inv_cols;
    f32 v = 0.0f;
    for (int c = 0; c < cols; c++) {
      const f32 d = xr[c] - m;
      v += d * d;
    }
    const f32 rs = 1.0f / __builtin_sqrtf(v * inv_cols + eps);
    for (int c = 0; c < cols; c++) yr[c] = (xr[c] - m) * rs * gamma[c] + beta[c];
    mean[r] = m;
    rstd[r] = rs;
  }
}

// Gradients of layer_norm: dx, and dgamma / dbeta summed over the rows.
EXPORT(layer_norm_grad)
void layer_norm_grad(const f32* restrict dy, const f32* restrict x, const f32* restrict gamma,
                     const f32* restrict mean, const f32* restrict rstd, f32* restrict dx, f32* restrict dgamma,
                     f32* restrict dbeta, int rows, int cols) {
  const f32 inv_cols = 1.0f / (f32)cols;
  for (int c = 0; c < cols; c++) {
    dgamma[c] = 0.0f;
    dbeta[c] = 0.0f;
  }
  for (int r = 0; r < rows; r++) {
    const f32* xr = x + (long)r * cols;
    const f32* dyr = dy + (long)r * cols;
    f32* dxr = dx + (long)r * cols;
    const f32 m = mean[r];
    const f32 rs = rstd[r];
    f32 sum_g = 0.0f;
    f32 sum_gx = 0.0f;
    for (int c = 0; c < cols; c++) {
      const f32 xhat = (xr[c] - m) * rs;
      const f32 g = dyr[c] * gamma[c];
      sum_g += g;
      sum_gx += g * xhat;
      dgamma[c] += dyr[c] * xhat;
      dbeta[c] += dyr[c];
    }
    sum_g *= inv_cols;
    sum_gx *= inv_cols;
    for (int c = 0; c < cols; c++) {
      const f32 xhat = (xr[c] - m) * rs;
      dxr[c] = rs * (dyr[c] * gamma[c] - sum_g - xhat * sum_gx);
    }
  }
}

// ---------------------------------------------------------------- elementwise
// y = gelu(u)·mask/keep (threshold 0: no dropout). kind 0: erf, 1: tanh.
// One loop per case, so that each is vectorised without branches.
#define GELU_LOOP(f, scale) \
  for (int i = 0; i < n; i++) y[i] = flush(f(u[i]) * (scale))
EXPORT(gelu_dropout)
void gelu_dropout(const f32* restrict u, f32* restrict y, int n, int kind, u32 seed, u32 threshold, f32 inv_keep) {
  if (kind == 0 && threshold == 0) GELU_LOOP(gelu_erf, 1.0f);
  if (kind == 0 && threshold != 0) GELU_LOOP(gelu_erf, keep_scale(seed, (u32)i, threshold, inv_keep));
  if (kind != 0 && threshold == 0) GELU_LOOP(gelu_tanh, 1.0f);
  if (kind != 0 && threshold != 0) GELU_LOOP(gelu_tanh, keep_scale(seed, (u32)i, threshold, inv_keep));
}

// du = dy·mask/keep·gelu'(u).
#define GELU_GRAD_LOOP(f, scale) \
  for (int i = 0; i < n; i++) du[i] = flush(dy[i] * f(u[i]) * (scale))
EXPORT(gelu_dropout_grad)
void gelu_dropout_grad(const f32* restrict dy, const f32* restrict u, f32* restrict du, int n, int kind, u32 seed,
                       u32 threshold, f32 inv_keep) {
  if (kind == 0 && threshold == 0) GELU_GRAD_LOOP(gelu_erf_grad, 1.0f);
  if (kind == 0 && threshold != 0) GELU_GRAD_LOOP(gelu_erf_grad, keep_scale(seed, (u32)i, threshold, inv_keep));
  if (kind != 0 && threshold == 0) GELU_GRAD_LOOP(gelu_tanh_grad, 1.0f);
  if (kind != 0 && threshold != 0) GELU_GRAD_LOOP(gelu_tanh_grad, keep_scale(seed, (u32)i, threshold, inv_keep));
}

// y = x·mask/keep; its own gradient (dx = dy·mask/keep) is the same call.
EXPORT(dropout)
void dropout(const f32* restrict x, f32* restrict y, int n, u32 seed, u32 threshold, f32 inv_keep) {
  for (int i = 0; i < n; i++) y[i] = x[i] * keep_scale(seed, (u32)i, threshold, inv_keep);
}

// y = x + b·mask/keep (a residual connection with a dropped-out branch).
EXPORT(add_dropout)
void add_dropout(const f32* restrict x, const f32* restrict b, f32* restrict y, int n, u32 seed, u32 threshold,
                 f32 inv_keep) {
  for (int i = 0; i < n; i++) y[i] = x[i] + b[i] * keep_scale(seed, (u32)i, threshold, inv_keep);
}

// out[c] = Σ_r x[r, c] (the gradient of a bias).
EXPORT(column_sum)
void column_sum(const f32* restrict x, f32* restrict out, int rows, int cols) {
  for (int c = 0; c < cols; c++) out[c] = 0.0f;
  for (int r = 0; r < rows; r++) {
    const f32* xr = x + (long)r * cols;
    for (int c = 0; c < cols; c++) out[c] += xr[c];
  }
}

// ---------------------------------------------------------------- attention
// Multi-head self-attention core, read straight from the fused QKV projection.
//   qkv:     [B, T, 3, H, d]  (rows of the in_proj output, as nn.MultiheadAttention)
//   out:     [B, T, H, d]     (ready for the output projection)
//   probs:   [B, H, T, T]     softmax(scale·Q·Kᵀ), saved for the gradient
//   scratch: (d + 1)·T floats
// Dropout on the attention weights (rate via threshold / inv_keep) with mask
// element ((b·H + h)·T + i)·T + j.

// Copy the d×T transpose of a head's keys (or values) into t, so that the
// scores of one query against every key are a SIMD loop over keys.
static inline void transpose_head(const f32* restrict src, f32* restrict t, int T, int d, long row) {
  for (int j = 0; j < T; j++) {
    for (int c = 0; c < d; c++) t[c * T + j] = src[j * row + c];
  }
}

// s[j] = scale · Σ_c a[c]·t[c, j] for every j.
static inline void row_times_transposed(const f32* restrict a, const f32* restrict t, f32* restrict s, int T, int d,
                                        f32 scale) {
  for (int j = 0; j < T; j++) s[j] = 0.0f;
  for (int c = 0; c < d; c++) {
    const f32 ac = a[c] * scale;
    const f32* tc = t + c * T;
    for (int j = 0; j < T; j++) s[j] += ac * tc[j];
  }
}

EXPORT(attention)
void attention(const f32* restrict qkv, f32* restrict out, f32* restrict probs, f32* restrict scratch, int B, int T,
               int H, int d, f32 scale, u32 seed, u32 threshold, f32 inv_keep) {
  const int D = H * d;
  const long row = 3L * D;
  f32* kt = scratch;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      const f32* q = qkv + (long)b * T * row + (long)h * d;
      const f32* v = q + 2 * D;
      const long bh = (long)b * H + h;
      f32* P = probs + bh * T * T;
      f32* o = out + (long)b * T * D + (long)h * d;
      transpose_head(q + D, kt, T, d, row);
      for (int i = 0; i < T; i++) {
        f32* p = P + (long)i * T;
        row_times_transposed(q + i * row, kt, p, T, d, scale);
        f32 mx = -3.0e38f;
        for (int j = 0; j < T; j++) mx = p[j] > mx ? p[j] : mx;
        f32 sum = 0.0f;
        for (int j = 0; j < T; j++) {
          p[j] = exp_approx(p[j] - mx);
          sum += p[j];
        }
        const f32 inv = 1.0f / sum;
        for (int j = 0; j < T; j++) p[j] = flush(p[j] * inv);
        f32* oi = o + (long)i * D;
        for (int c = 0; c < d; c++) oi[c] = 0.0f;
        const u32 base = (u32)((bh * T + i) * T);
        for (int j = 0; j < T; j++) {
          const f32 w = threshold == 0 ? p[j] : p[j] * keep_scale(seed, base + (u32)j, threshold, inv_keep);
          const f32* vj = v + j * row;
          for (int c = 0; c < d; c++) oi[c] += w * vj[c];
        }
      }
    }
  }
}

// Gradient of `attention` with respect to qkv (same layout as qkv). scratch: (d + 1)·T floats.
EXPORT(attention_grad)
void attention_grad(const f32* restrict qkv, const f32* restrict probs, const f32* restrict dout, f32* restrict dqkv,
                    f32* restrict scratch, int B, int T, int H, int d, f32 scale, u32 seed, u32 threshold,
                    f32 inv_keep) {
  const int D = H * d;
  const long row = 3L * D;
  const long total = (long)B * T * row;
  f32* vt = scratch;
  f32* dp = scratch + (long)d * T;
  for (long i = 0; i < total; i++) dqkv[i] = 0.0f;
  for (int b = 0; b < B; b++) {
    for (int h = 0; h < H; h++) {
      const long offset = (long)b * T * row + (long)h * d;
      const f32* q = qkv + offset;
      const f32* k = q + D;
      const f32* v = q + 2 * D;
      f32* dq = dqkv + offset;
      f32* dk = dq + D;
      f32* dv = dq + 2 * D;
      const long bh = (long)b * H + h;
      const f32* P = probs + bh * T * T;
      const f32* dO = dout + (long)b * T * D + (long)h * d;
      transpose_head(v, vt, T, d, row);
      for (int i = 0; i < T; i++) {
        const f32* p = P + (long)i * T;
        const f32* doi = dO + (long)i * D;
        const u32 base = (u32)((bh * T + i) * T);
        // dp[j] = (dO_i · V_j)·mask, then dV_j += p_ij·mask·dO_i
        row_times_transposed(doi, vt, dp, T, d, 1.0f);
        f32 rowdot = 0.0f;
        for (int j = 0; j < T; j++) {
          const f32 m = threshold == 0 ? 1.0f : keep_scale(seed, base + (u32)j, threshold, inv_keep);
          dp[j] *= m;
          rowdot += p[j] * dp[j];
          const f32 w = p[j] * m;
          f32* dvj = dv + j * row;
          for (int c = 0; c < d; c++) dvj[c] += w * doi[c];
        }
        const f32* qi = q + i * row;
        f32* dqi = dq + i * row;
        for (int j = 0; j < T; j++) {
          const f32 ds = flush(p[j] * (dp[j] - rowdot) * scale);
          const f32* kj = k + j * row;
          f32* dkj = dk + j * row;
          for (int c = 0; c < d; c++) {
            dqi[c] += ds * kj[c];
            dkj[c] += ds * qi[c];
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------- optimizer
// One AdamW update (PyTorch's torch.optim.AdamW) of n parameters, written to
// fresh outputs: p' = p·(1 − lr·wd) − lr·m̂/(√v̂ + eps).
EXPORT(adamw)
void adamw(const f32* restrict p, const f32* restrict g, const f32* restrict m, const f32* restrict v,
           f32* restrict p_out, f32* restrict m_out, f32* restrict v_out, int n, f32 lr, f32 beta1, f32 beta2,
           f32 eps, f32 decay, f32 inv_c1, f32 inv_c2) {
  for (int i = 0; i < n; i++) {
    const f32 mi = beta1 * m[i] + (1.0f - beta1) * g[i];
    const f32 vi = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
    m_out[i] = flush(mi);
    v_out[i] = flush(vi);
    p_out[i] = p[i] * decay - lr * (mi * inv_c1) / (__builtin_sqrtf(vi * inv_c2) + eps);
  }
}

// Σ x² (for the global gradient norm).
EXPORT(sum_squares)
f32 sum_squares(const f32* restrict x, int n) {
  f32 s = 0.0f;
  for (int i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}
