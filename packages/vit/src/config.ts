/** Options of a Vision Transformer; every size is configurable. */
export interface ViTConfig {
  /** Input image height and width in pixels. */
  imageSize: readonly [number, number];
  /** Input channels (1 for Fashion-MNIST, 3 for CIFAR-10). */
  channels: number;
  /** Side of the square patches; must divide both image sides. */
  patchSize: number;
  /** Embedding width D; must be divisible by `heads`. */
  dim: number;
  /** Number of encoder layers. */
  depth: number;
  /** Attention heads per layer. */
  heads: number;
  /** Width of the MLP hidden layer as a multiple of `dim`. */
  mlpRatio: number;
  /** Dropout rate in [0, 1) (attention weights, MLP and residual branches, as PyTorch's encoder layer). */
  dropout: number;
  numClasses: number;
  /** `post`: PyTorch's default TransformerEncoderLayer (norm after the residual); `pre`: the modern choice. */
  norm: 'post' | 'pre';
  /** `erf`: exact GELU (PyTorch's default); `tanh`: the tanh approximation. */
  gelu: 'erf' | 'tanh';
  /** Seed of the weight initialisation. */
  seed: number;
}

/** A `ViTConfig` problem: names the field, what it got and what is allowed. */
export class ViTConfigError extends Error {
  override readonly name = 'ViTConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Named configurations. */
export const presets = {
  /** The original standalone script's ViT, exactly: 32×32×3, patch 4, dim 256, depth 6, 8 heads, MLP ×2, post-norm. */
  reference: {
    imageSize: [32, 32],
    channels: 3,
    patchSize: 4,
    dim: 256,
    depth: 6,
    heads: 8,
    mlpRatio: 2,
    dropout: 0.1,
    numClasses: 10,
    norm: 'post',
    gelu: 'erf',
    seed: 0,
  },
  /** For 28×28×1 Fashion-MNIST on 2 cores: patch 7 (16 patches), dim 64, depth 2, 4 heads, pre-norm. */
  tiny: {
    imageSize: [28, 28],
    channels: 1,
    patchSize: 7,
    dim: 64,
    depth: 2,
    heads: 4,
    mlpRatio: 2,
    dropout: 0.1,
    numClasses: 10,
    norm: 'pre',
    gelu: 'tanh',
    seed: 0,
  },
} as const satisfies Record<string, ViTConfig>;

export type PresetName = keyof typeof presets;

const KEYS = Object.keys(presets.reference) as (keyof ViTConfig)[];

function positiveInt(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ViTConfigError(
      field,
      `ViT config: ${field} must be a positive integer; received ${JSON.stringify(value)}`,
    );
  }
}

/** Fill a preset's defaults into partial options and check that the architecture is possible. */
export function resolveViTConfig(
  config: PresetName | (Partial<ViTConfig> & { preset?: PresetName }),
): ViTConfig {
  const options = typeof config === 'string' ? { preset: config } : config;
  const presetName = options.preset ?? 'tiny';
  if (!(presetName in presets)) {
    throw new ViTConfigError(
      'preset',
      `ViT config: unknown preset ${JSON.stringify(presetName)}; known: ${Object.keys(presets).join(', ')}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (key !== 'preset' && !KEYS.includes(key as keyof ViTConfig)) {
      throw new ViTConfigError(key, `ViT config: unknown option "${key}"; known options: ${KEYS.join(', ')}`);
    }
  }
  const { preset: _ignored, ...rest } = options;
  const c = { ...presets[presetName], ...rest } as ViTConfig;
  if (!Array.isArray(c.imageSize) || c.imageSize.length !== 2) {
    throw new ViTConfigError(
      'imageSize',
      `ViT config: imageSize must be [height, width]; received ${JSON.stringify(c.imageSize)}`,
    );
  }
  positiveInt('imageSize[0]', c.imageSize[0]);
  positiveInt('imageSize[1]', c.imageSize[1]);
  for (const f of ['channels', 'patchSize', 'dim', 'depth', 'heads', 'numClasses'] as const)
    positiveInt(f, c[f]);
  if (c.imageSize[0] % c.patchSize !== 0 || c.imageSize[1] % c.patchSize !== 0) {
    throw new ViTConfigError(
      'patchSize',
      `ViT config: patchSize ${c.patchSize} must divide the image size ${c.imageSize[0]}×${c.imageSize[1]}`,
    );
  }
  if (c.dim % c.heads !== 0) {
    throw new ViTConfigError('heads', `ViT config: dim ${c.dim} must be divisible by heads ${c.heads}`);
  }
  if (!(typeof c.mlpRatio === 'number' && c.mlpRatio > 0 && Number.isInteger(c.mlpRatio * c.dim))) {
    throw new ViTConfigError(
      'mlpRatio',
      `ViT config: mlpRatio × dim must be a positive integer; received mlpRatio ${c.mlpRatio}`,
    );
  }
  if (!(typeof c.dropout === 'number' && c.dropout >= 0 && c.dropout < 1)) {
    throw new ViTConfigError('dropout', `ViT config: dropout must be in [0, 1); received ${c.dropout}`);
  }
  if (c.norm !== 'post' && c.norm !== 'pre') {
    throw new ViTConfigError(
      'norm',
      `ViT config: norm must be "post" or "pre"; received ${JSON.stringify(c.norm)}`,
    );
  }
  if (c.gelu !== 'erf' && c.gelu !== 'tanh') {
    throw new ViTConfigError(
      'gelu',
      `ViT config: gelu must be "erf" or "tanh"; received ${JSON.stringify(c.gelu)}`,
    );
  }
  if (!Number.isSafeInteger(c.seed)) {
    throw new ViTConfigError(
      'seed',
      `ViT config: seed must be an integer; received ${JSON.stringify(c.seed)}`,
    );
  }
  return { ...c, imageSize: [c.imageSize[0], c.imageSize[1]] };
}

/** Patches per image. */
export const patchCount = (c: ViTConfig): number =>
  (c.imageSize[0] / c.patchSize) * (c.imageSize[1] / c.patchSize);
