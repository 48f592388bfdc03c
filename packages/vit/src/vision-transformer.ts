import './gradients.js';
import type { ApplyOptions, FlopCount } from '@sundew/types';
import type { Model } from '@sundew/types/model';
import * as tf from '@tensorflow/tfjs-core';
import { type PresetName, patchCount, resolveViTConfig, type ViTConfig } from './config.js';
import { vitFlops } from './flops.js';
import { kaimingUniform, xavierUniform } from './init.js';
import { addDropout, dense, layerNorm, mlp, selfAttention } from './layers.js';

/** Images of the wrong shape for the model. */
export class ViTInputError extends Error {
  override readonly name = 'ViTInputError';
}

/** A named weight mismatch (missing name, wrong shape) when setting weights. */
export class WeightsMismatchError extends Error {
  override readonly name = 'WeightsMismatchError';
}

let instances = 0;

/**
 * A Vision Transformer on tfjs-core ops and variables (SPEC "The model"):
 * patch embedding, class token, learned position embedding, `depth` encoder
 * layers (post- or pre-norm), LayerNorm on the class token, linear head.
 *
 * Input shape: [B, H, W, C] float32 (normalised). Output shape: [B, numClasses] logits.
 */
export class VisionTransformer implements Model {
  readonly name: string;
  readonly config: Readonly<ViTConfig>;
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  private readonly params = new Map<string, tf.Variable>();
  private readonly prefix = `sundew-vit-${++instances}`;

  constructor(config: PresetName | (Partial<ViTConfig> & { preset?: PresetName }) = 'tiny') {
    this.config = Object.freeze(resolveViTConfig(config));
    const c = this.config;
    this.name = typeof config === 'string' ? `vit-${config}` : `vit-${config.preset ?? 'custom'}`;
    this.inputShape = [c.imageSize[0], c.imageSize[1], c.channels];
    this.numClasses = c.numClasses;
    this.build();
  }

  private add(name: string, init: tf.Tensor): void {
    this.params.set(name, tf.variable(init, true, `${this.prefix}/${name}`));
    init.dispose();
  }

  private build(): void {
    const c = this.config;
    const D = c.dim;
    const F = c.dim * c.mlpRatio;
    const P = c.patchSize * c.patchSize * c.channels;
    let s = c.seed * 1009 + 1;
    const seed = (): number => s++;
    this.add('patch.weight', kaimingUniform([P, D], P, seed()));
    this.add('patch.bias', kaimingUniform([D], P, seed()));
    this.add('cls', tf.zeros([1, 1, D]));
    this.add('pos', tf.randomNormal([1, patchCount(c) + 1, D], 0, 0.02, 'float32', seed()));
    for (let l = 0; l < c.depth; l++) {
      const p = `layers.${l}`;
      this.add(`${p}.attn.in_proj.weight`, xavierUniform([D, 3 * D], D, 3 * D, seed()));
      this.add(`${p}.attn.in_proj.bias`, tf.zeros([3 * D]));
      this.add(`${p}.attn.out_proj.weight`, kaimingUniform([D, D], D, seed()));
      this.add(`${p}.attn.out_proj.bias`, tf.zeros([D]));
      this.add(`${p}.mlp.fc1.weight`, kaimingUniform([D, F], D, seed()));
      this.add(`${p}.mlp.fc1.bias`, kaimingUniform([F], D, seed()));
      this.add(`${p}.mlp.fc2.weight`, kaimingUniform([F, D], F, seed()));
      this.add(`${p}.mlp.fc2.bias`, kaimingUniform([D], F, seed()));
      for (const n of ['norm1', 'norm2']) {
        this.add(`${p}.${n}.gamma`, tf.ones([D]));
        this.add(`${p}.${n}.beta`, tf.zeros([D]));
      }
    }
    this.add('norm.gamma', tf.ones([D]));
    this.add('norm.beta', tf.zeros([D]));
    this.add('head.weight', kaimingUniform([D, c.numClasses], D, seed()));
    this.add('head.bias', kaimingUniform([c.numClasses], D, seed()));
  }

  private p<T extends tf.Tensor>(name: string): T {
    return this.params.get(name) as unknown as T;
  }

  apply(images: tf.Tensor4D, options: ApplyOptions): tf.Tensor2D {
    const [H, W, C] = this.inputShape;
    if (images.rank !== 4 || images.shape[1] !== H || images.shape[2] !== W || images.shape[3] !== C) {
      throw new ViTInputError(
        `${this.name}: expected images of shape [batch, ${H}, ${W}, ${C}]; received [${images.shape.join(', ')}]`,
      );
    }
    const c = this.config;
    const B = images.shape[0];
    const N = patchCount(c);
    const T = N + 1;
    const D = c.dim;
    const ps = c.patchSize;
    const training = options.training;
    const rate = training ? c.dropout : 0;
    let dropSeed = (options.seed ?? 0) * 7919 + 17;
    return tf.tidy(() => {
      // [B, H, W, C] → [B, H/p, p, W/p, p, C] → [B, H/p, W/p, p, p, C] → [B·N, p·p·C]
      const patches = tf.reshape(
        tf.transpose(tf.reshape(images, [B, H / ps, ps, W / ps, ps, C]), [0, 1, 3, 2, 4, 5]),
        [B * N, ps * ps * C],
      ) as tf.Tensor2D;
      const embedded = tf.reshape(dense(patches, this.p('patch.weight'), this.p('patch.bias')), [B, N, D]);
      // zeros + cls, not broadcastTo: Tile's gradient is one slice per batch row.
      const cls = tf.add(tf.zeros([B, 1, D]), this.p<tf.Tensor3D>('cls'));
      const tokens = tf.add(tf.concat([cls, embedded], 1), this.p('pos'));
      let x = tf.reshape(tokens, [B * T, D]) as tf.Tensor2D;
      for (let l = 0; l < c.depth; l++) {
        const p = `layers.${l}`;
        const attention = (h: tf.Tensor2D) =>
          selfAttention(h, {
            batch: B,
            tokens: T,
            heads: c.heads,
            dim: D,
            inWeight: this.p(`${p}.attn.in_proj.weight`),
            inBias: this.p(`${p}.attn.in_proj.bias`),
            outWeight: this.p(`${p}.attn.out_proj.weight`),
            outBias: this.p(`${p}.attn.out_proj.bias`),
            dropout: c.dropout,
            training,
            seed: dropSeed++,
          });
        const feedForward = (h: tf.Tensor2D) =>
          mlp(
            h,
            {
              fc1: [this.p(`${p}.mlp.fc1.weight`), this.p(`${p}.mlp.fc1.bias`)],
              fc2: [this.p(`${p}.mlp.fc2.weight`), this.p(`${p}.mlp.fc2.bias`)],
            },
            { gelu: c.gelu, dropout: rate, seed: dropSeed++ },
          );
        const norm1 = (h: tf.Tensor2D) => layerNorm(h, this.p(`${p}.norm1.gamma`), this.p(`${p}.norm1.beta`));
        const norm2 = (h: tf.Tensor2D) => layerNorm(h, this.p(`${p}.norm2.gamma`), this.p(`${p}.norm2.beta`));
        // Residual branches are dropped out before the sum, as in PyTorch's encoder layer.
        if (c.norm === 'post') {
          x = norm1(addDropout(x, attention(x), rate, dropSeed++));
          x = norm2(addDropout(x, feedForward(x), rate, dropSeed++));
        } else {
          x = addDropout(x, attention(norm1(x)), rate, dropSeed++);
          x = addDropout(x, feedForward(norm2(x)), rate, dropSeed++);
        }
      }
      const clsOut = tf.reshape(tf.slice(tf.reshape(x, [B, T, D]), [0, 0, 0], [B, 1, D]), [
        B,
        D,
      ]) as tf.Tensor2D;
      const normed = layerNorm(clsOut, this.p('norm.gamma'), this.p('norm.beta'));
      return dense(normed, this.p('head.weight'), this.p('head.bias'));
    });
  }

  trainableVariables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Logical names of the variables, in `trainableVariables()` order. */
  variableNames(): string[] {
    return [...this.params.keys()];
  }

  parameterCount(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  getWeights(): Map<string, tf.Tensor> {
    return new Map([...this.params].map(([name, v]) => [name, tf.clone(v)]));
  }

  setWeights(weights: Map<string, tf.Tensor>): void {
    for (const [name, v] of this.params) {
      const w = weights.get(name);
      if (!w)
        throw new WeightsMismatchError(
          `${this.name}: weight "${name}" is missing; expected shape [${v.shape}]`,
        );
      if (w.shape.join() !== v.shape.join()) {
        throw new WeightsMismatchError(
          `${this.name}: weight "${name}" has shape [${w.shape}]; expected [${v.shape}] (weights of another architecture?)`,
        );
      }
    }
    for (const name of weights.keys()) {
      if (!this.params.has(name)) {
        throw new WeightsMismatchError(
          `${this.name}: unexpected weight "${name}" (weights of another architecture?)`,
        );
      }
    }
    for (const [name, v] of this.params) v.assign(weights.get(name)!);
  }

  flops(batchSize: number): FlopCount {
    return vitFlops(this.config, batchSize);
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}

/** Build a ViT from a preset name or a (partial) config. */
export function createViT(
  config: PresetName | (Partial<ViTConfig> & { preset?: PresetName }) = 'tiny',
): VisionTransformer {
  return new VisionTransformer(config);
}
