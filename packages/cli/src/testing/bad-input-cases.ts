import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FASHION_MNIST_BUNDLED_DIR } from '@sundew/data';
import { idxBytes, writeCifarFolder, writeIdxFolder } from './data-folders.js';

/** One bad input of the catalogue (docs/reliability.md) and the line the user sees. */
export interface BadInputCase {
  /** The flag, file or input concerned. */
  input: string;
  /** What is wrong with it. */
  what: string;
  /** `sundew` arguments; `<dir>` stands for a fresh folder of the case. */
  args: string[];
  /** Files to create in that folder first. */
  setup?: (dir: string) => Promise<void>;
  /** The error line, with `<dir>` for the case's folder and `<bundled>` for the bundled data folder. */
  message: string;
}

/** Every flag of `sundew train`, out of range and of the wrong type. */
const train = (input: string, what: string, args: string[], message: string): BadInputCase => ({
  input,
  what,
  args: ['train', ...args],
  message,
});

const json = (name: string, text: string) => (dir: string) => writeFile(join(dir, name), text);

export const trainFlagCases: BadInputCase[] = [
  train('--bogus', 'unknown flag', ['--bogus'], "error: unknown option '--bogus'"),
  train(
    '--config',
    'missing file',
    ['--config', '<dir>/missing.json'],
    'sundew: --config <dir>/missing.json: cannot read the file (ENOENT)',
  ),
  train(
    '--config',
    'a folder',
    ['--config', '<dir>'],
    'sundew: --config <dir>: cannot read the file (EISDIR)',
  ),
  train(
    '--preset',
    'unknown name',
    ['--preset', 'fast'],
    "error: option '--preset <name>' argument 'fast' is invalid. Allowed choices are default, reference.",
  ),
  train(
    '--dataset',
    'unknown name',
    ['--dataset', 'imagenet'],
    "error: option '--dataset <name>' argument 'imagenet' is invalid. Allowed choices are fashion-mnist, cifar10, synthetic.",
  ),
  train(
    '--dataset',
    'cifar10 without a folder',
    ['--dataset', 'cifar10'],
    'sundew: --dataset cifar10 needs --data-dir: the folder of the CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)',
  ),
  train('--data-dir', 'empty', ['--data-dir', ''], 'sundew: --data-dir: must not be empty; received ""'),
  train(
    '--data-dir',
    'missing folder',
    ['--data-dir', '<dir>/nowhere'],
    'sundew: <dir>/nowhere/train-images-idx3-ubyte.gz: file not found; expected Fashion-MNIST IDX files here: install them with `apt-get install dataset-fashion-mnist` (→ /usr/share/datasets/fashion-mnist), or use the bundled subset',
  ),
  train(
    '--data-dir',
    'with --dataset synthetic',
    ['--dataset', 'synthetic', '--data-dir', '<dir>'],
    'sundew: --data-dir <dir>: --dataset synthetic generates its images and reads no folder; drop --data-dir, or name the dataset the folder holds (--dataset fashion-mnist or cifar10)',
  ),
  train(
    '--model',
    'unknown preset',
    ['--model', 'huge'],
    "error: option '--model <preset>' argument 'huge' is invalid. Allowed choices are tiny, reference.",
  ),
  train(
    '--mode',
    'unknown mode',
    ['--mode', 'turbo'],
    "error: option '--mode <mode>' argument 'turbo' is invalid. Allowed choices are sparse, full, sample.",
  ),
  train(
    '--scorer',
    'unknown scorer',
    ['--scorer', 'magic'],
    'sundew: --scorer: must be one of batch-relative, loss-entropy, stale-loss, random, gradient-norm, loss-percentile, stale-loss-percentile, stale-loss-guarded, stale-loss-guarded-balanced, random-balanced, stale-loss-filtered-balanced, stale-loss-ranked-balanced, stale-loss-cautious-balanced; received "magic"',
  ),
  train(
    '--gate',
    'unknown gate',
    ['--gate', 'nope'],
    'sundew: --gate: must be one of sundew, sundew-reference, sundew-script, sundew-library, top-k, always-on, infobatch; received "nope"',
  ),
  train(
    '--target-rate',
    'above 1',
    ['--target-rate', '1.5'],
    'sundew: --target-rate: must be ≤ 1; received 1.5',
  ),
  train('--target-rate', 'zero', ['--target-rate', '0'], 'sundew: --target-rate: must be > 0; received 0'),
  train(
    '--target-rate',
    'negative',
    ['--target-rate', '-0.1'],
    'sundew: --target-rate: must be > 0; received -0.1',
  ),
  train(
    '--target-rate',
    'not a number',
    ['--target-rate', 'ten'],
    "error: option '--target-rate <r>' argument 'ten' is invalid. --target-rate expects a number.",
  ),
  train(
    '--target-rate',
    'Infinity',
    ['--target-rate', 'Infinity'],
    "error: option '--target-rate <r>' argument 'Infinity' is invalid. --target-rate expects a number.",
  ),
  train(
    '--selection',
    'unknown',
    ['--selection', 'greedy'],
    "error: option '--selection <how>' argument 'greedy' is invalid. Allowed choices are per-batch, buffered.",
  ),
  train(
    '--reweight',
    'unknown',
    ['--reweight', 'boost'],
    "error: option '--reweight <how>' argument 'boost' is invalid. Allowed choices are none, infobatch.",
  ),
  train('--epochs', 'zero', ['--epochs', '0'], 'sundew: --epochs: must be ≥ 1; received 0'),
  train(
    '--epochs',
    'too many',
    ['--epochs', '100001'],
    'sundew: --epochs: must be ≤ 100000; received 100001',
  ),
  train(
    '--epochs',
    'a fraction',
    ['--epochs', '1.5'],
    "error: option '--epochs <n>' argument '1.5' is invalid. --epochs expects an integer.",
  ),
  train(
    '--epochs',
    'not a number',
    ['--epochs', 'abc'],
    "error: option '--epochs <n>' argument 'abc' is invalid. --epochs expects an integer.",
  ),
  train('--epochs', 'no value', ['--epochs'], "error: option '--epochs <n>' argument missing"),
  train('--batch-size', 'negative', ['--batch-size', '-3'], 'sundew: --batch-size: must be ≥ 1; received -3'),
  train(
    '--batch-size',
    'too big',
    ['--batch-size', '65537'],
    'sundew: --batch-size: must be ≤ 65536; received 65537',
  ),
  train(
    '--batch-size',
    'not a number',
    ['--batch-size', 'big'],
    "error: option '--batch-size <n>' argument 'big' is invalid. --batch-size expects an integer.",
  ),
  train(
    '--micro-batch-size',
    'zero',
    ['--micro-batch-size', '0'],
    'sundew: --micro-batch-size: must be ≥ 1; received 0',
  ),
  train(
    '--micro-batch-size',
    'a fraction',
    ['--micro-batch-size', '0.5'],
    "error: option '--micro-batch-size <n>' argument '0.5' is invalid. --micro-batch-size expects an integer.",
  ),
  train('--lr', 'zero', ['--lr', '0'], 'sundew: --lr: must be > 0; received 0'),
  train('--lr', 'above 10', ['--lr', '11'], 'sundew: --lr: must be ≤ 10; received 11'),
  train(
    '--lr',
    'not a number',
    ['--lr', 'fast'],
    "error: option '--lr <x>' argument 'fast' is invalid. --lr expects a number.",
  ),
  train(
    '--lr',
    'overflows to Infinity',
    ['--lr', '1e400'],
    "error: option '--lr <x>' argument '1e400' is invalid. --lr expects a number.",
  ),
  train(
    '--weight-decay',
    'negative',
    ['--weight-decay', '-0.1'],
    'sundew: --weight-decay: must be ≥ 0; received -0.1',
  ),
  train(
    '--weight-decay',
    'above 1',
    ['--weight-decay', '2'],
    'sundew: --weight-decay: must be ≤ 1; received 2',
  ),
  train(
    '--weight-decay',
    'not a number',
    ['--weight-decay', 'x'],
    "error: option '--weight-decay <x>' argument 'x' is invalid. --weight-decay expects a number.",
  ),
  train(
    '--warmup-epochs',
    'negative',
    ['--warmup-epochs', '-1'],
    'sundew: --warmup-epochs: must be ≥ 0; received -1',
  ),
  train(
    '--warmup-epochs',
    'a fraction',
    ['--warmup-epochs', '0.5'],
    "error: option '--warmup-epochs <n>' argument '0.5' is invalid. --warmup-epochs expects an integer.",
  ),
  train('--clip-norm', 'zero', ['--clip-norm', '0'], 'sundew: --clip-norm: must be > 0; received 0'),
  train(
    '--clip-norm',
    'not a number',
    ['--clip-norm', 'off'],
    "error: option '--clip-norm <x>' argument 'off' is invalid. --clip-norm expects a number.",
  ),
  train('--seed', 'negative', ['--seed', '-1'], 'sundew: --seed: must be ≥ 0; received -1'),
  train(
    '--seed',
    'above 2³¹ − 1',
    ['--seed', '2147483648'],
    'sundew: --seed: must be ≤ 2147483647; received 2147483648',
  ),
  train(
    '--seed',
    'a fraction',
    ['--seed', '1.5'],
    "error: option '--seed <n>' argument '1.5' is invalid. --seed expects an integer.",
  ),
  train('--limit-train', 'zero', ['--limit-train', '0'], 'sundew: --limit-train: must be ≥ 1; received 0'),
  train(
    '--limit-train',
    'not a number',
    ['--limit-train', 'all'],
    "error: option '--limit-train <n>' argument 'all' is invalid. --limit-train expects an integer.",
  ),
  train('--limit-test', 'zero', ['--limit-test', '0'], 'sundew: --limit-test: must be ≥ 1; received 0'),
  train(
    '--limit-test',
    'a fraction',
    ['--limit-test', '2.5'],
    "error: option '--limit-test <n>' argument '2.5' is invalid. --limit-test expects an integer.",
  ),
  train(
    '--backend',
    'unknown',
    ['--backend', 'gpu'],
    "error: option '--backend <name>' argument 'gpu' is invalid. Allowed choices are auto, wasm, cpu, tensorflow, tensorflow-gpu.",
  ),
  train(
    '--backend',
    'tfjs-node not installed',
    ['--backend', 'tensorflow'],
    'sundew: backend "tensorflow" needs @tensorflow/tfjs-node, which is not installed: npm install @tensorflow/tfjs-node (it downloads libtensorflow at install time), or use --backend wasm',
  ),
  train('--threads', 'zero', ['--threads', '0'], 'sundew: --threads: must be ≥ 1; received 0'),
  train('--threads', 'too many', ['--threads', '65'], 'sundew: --threads: must be ≤ 64; received 65'),
  train(
    '--threads',
    'not a number',
    ['--threads', 'two'],
    "error: option '--threads <n>' argument 'two' is invalid. --threads expects an integer.",
  ),
  train('--out', 'empty', ['--out', ''], 'sundew: --out: must not be empty; received ""'),
  train(
    '--out',
    'an existing file',
    ['--out', '<dir>/file'],
    'sundew: --out <dir>/file: cannot write there (EEXIST)',
  ),
  train(
    '--out',
    'below a file',
    ['--out', '<dir>/file/run'],
    'sundew: --out <dir>/file/run: cannot write there (ENOTDIR)',
  ),
  train('--label', 'empty', ['--label', ''], 'sundew: --label: must not be empty; received ""'),
  train(
    '--resume',
    'given a value',
    ['--resume', 'yes'],
    "error: too many arguments for 'train'. Expected 0 arguments but got 1.",
  ),
  train(
    '--budget-seconds',
    'zero',
    ['--budget-seconds', '0'],
    'sundew: --budget-seconds: must be > 0; received 0',
  ),
  train(
    '--budget-seconds',
    'not a number',
    ['--budget-seconds', '1h'],
    "error: option '--budget-seconds <s>' argument '1h' is invalid. --budget-seconds expects a number.",
  ),
  train(
    '--budget-samples',
    'zero',
    ['--budget-samples', '0'],
    'sundew: --budget-samples: must be ≥ 1; received 0',
  ),
  train(
    '--budget-samples',
    'with --budget-seconds',
    ['--budget-samples', '1000', '--budget-seconds', '10'],
    'sundew: --budget-seconds and --budget-samples are two budgets for one run: keep one (--budget-samples does not drift with the machine)',
  ),
  train(
    '--label-noise',
    'above 0.9',
    ['--label-noise', '1.5'],
    'sundew: --label-noise: must be ≤ 0.9; received 1.5',
  ),
  train(
    '--label-noise',
    'negative',
    ['--label-noise=-0.1'],
    'sundew: --label-noise: must be ≥ 0; received -0.1',
  ),
  train('--imbalance', 'below 1', ['--imbalance', '0.5'], 'sundew: --imbalance: must be ≥ 1; received 0.5'),
  train(
    '--duplicates',
    'not an integer',
    ['--duplicates', '2.5'],
    "error: option '--duplicates <k>' argument '2.5' is invalid. --duplicates expects an integer.",
  ),
  train(
    '--sample-batches',
    'zero',
    ['--sample-batches', '0'],
    'sundew: --sample-batches: must be ≥ 1; received 0',
  ),
  train(
    '--sample-batches',
    'not a number',
    ['--sample-batches', 'all'],
    "error: option '--sample-batches <n>' argument 'all' is invalid. --sample-batches expects an integer.",
  ),
  train(
    '--checkpoint-every',
    'zero',
    ['--checkpoint-every', '0'],
    'sundew: --checkpoint-every: must be ≥ 1; received 0',
  ),
  train(
    '--checkpoint-every',
    'a fraction',
    ['--checkpoint-every', '2.5'],
    "error: option '--checkpoint-every <n>' argument '2.5' is invalid. --checkpoint-every expects an integer.",
  ),
  train(
    '--on-non-finite',
    'unknown',
    ['--on-non-finite', 'ignore'],
    "error: option '--on-non-finite <what>' argument 'ignore' is invalid. Allowed choices are stop, skip.",
  ),
  train(
    '--progress',
    'unknown',
    ['--progress', 'loud'],
    "error: option '--progress <kind>' argument 'loud' is invalid. Allowed choices are auto, bar, lines, none.",
  ),
];

const synthetic = ['--dataset', 'synthetic', '--limit-test', '32'];

/** Flags that are valid alone but contradict each other or the data (issue 16). */
export const conflictCases: BadInputCase[] = [
  train(
    '--batch-size',
    '1 in sparse mode (the fallback trains every sample)',
    [...synthetic, '--limit-train', '32', '--batch-size', '1'],
    'sundew: --batch-size 1: AST picks samples within a batch, and a batch of one is always trained (when the gate picks none the trainer trains 2 at random); use --batch-size 2 or more (e.g. 128), or --mode sample for one sample per step',
  ),
  train(
    '--target-rate',
    'with --gate infobatch (it holds no rate)',
    [...synthetic, '--limit-train', '32', '--gate', 'infobatch', '--target-rate', '0.3'],
    "sundew: --target-rate 0.3 with --gate infobatch: InfoBatch holds no rate (it keeps every sample at or above the batch's mean score and each one below it with probability 1 − prune), so the rate would be ignored; drop --target-rate, or use a gate that holds one (sundew, top-k)",
  ),
  train(
    '--warmup-epochs',
    'as many as --epochs (no AST epoch left)',
    [...synthetic, '--limit-train', '32', '--warmup-epochs', '3', '--epochs', '2'],
    'sundew: --warmup-epochs 3: with --epochs 2 every epoch is a full-training warm-up and none uses AST; use fewer warm-up epochs than --epochs, or --mode full',
  ),
  train(
    '--mode full',
    'with AST-only flags',
    [
      ...synthetic,
      '--limit-train',
      '32',
      '--mode',
      'full',
      '--scorer',
      'random',
      '--gate',
      'top-k',
      '--target-rate',
      '0.05',
    ],
    'sundew: --mode full trains on every sample: --scorer, --gate, --target-rate do not apply; drop them, or use --mode sparse',
  ),
  train(
    '--mode full',
    'with --warmup-epochs',
    [...synthetic, '--limit-train', '32', '--mode', 'full', '--warmup-epochs', '1'],
    'sundew: --mode full trains on every sample: --warmup-epochs does not apply; drop them, or use --mode sparse',
  ),
  train(
    '--limit-train',
    'fewer images than classes',
    ['--limit-train', '5'],
    'sundew: --limit-train 5: fewer images than the 10 classes of fashion-mnist-subset/train; a class-balanced subset needs at least 10 (one per class)',
  ),
  train(
    '--limit-test',
    'fewer images than classes (synthetic data)',
    ['--dataset', 'synthetic', '--limit-train', '32', '--limit-test', '3'],
    'sundew: --limit-test 3: fewer images than the 10 classes of synthetic; a class-balanced subset needs at least 10 (one per class)',
  ),
];
trainFlagCases
  .filter((c) => c.args.includes('<dir>/file') || c.args.includes('<dir>/file/run'))
  .forEach((c) => {
    c.setup = json('file', 'x');
  });

/** `--config` files with unknown keys, wrong types and broken JSON. */
export const configCases: BadInputCase[] = [
  [
    'an unknown key',
    '{"epochs": 2, "learningRate": 0.1}',
    'sundew: <dir>/config.json: unknown option "learningRate"',
  ],
  [
    'a flag name as key',
    '{"target-rate": 0.2, "batch_size": 64}',
    'sundew: <dir>/config.json: unknown options "target-rate", "batch_size"; keys are camelCase: write "targetRate" for "target-rate", "batchSize" for "batch_size"',
  ],
  [
    'a string for a number',
    '{"epochs": "two"}',
    'sundew: <dir>/config.json: "epochs": must be a number; received "two"',
  ],
  ['a number for a string', '{"out": 5}', 'sundew: <dir>/config.json: "out": must be a string; received 5'],
  [
    'a string for a boolean',
    '{"resume": "yes"}',
    'sundew: <dir>/config.json: "resume": must be true or false; received "yes"',
  ],
  ['null', '{"lr": null}', 'sundew: <dir>/config.json: "lr": must be a number; received null'],
  [
    'a value out of range',
    '{"targetRate": 2}',
    'sundew: <dir>/config.json: "targetRate": must be ≤ 1; received 2',
  ],
  [
    'a number too large for JSON',
    '{"epochs": 1e400}',
    'sundew: <dir>/config.json: "epochs": must be a number; received Infinity',
  ],
  [
    'a nested object',
    '{"gate": {"name": "sundew"}}',
    'sundew: <dir>/config.json: "gate": must be one of sundew, sundew-reference, sundew-script, sundew-library, top-k, always-on, infobatch; received {"name":"sundew"}',
  ],
  [
    'an array, not an object',
    '[{"epochs": 2}]',
    'sundew: --config <dir>/config.json: expected a JSON object of options, e.g. {"epochs": 5}',
  ],
  [
    'broken JSON',
    '{"epochs": ',
    'sundew: --config <dir>/config.json: not valid JSON (Unexpected end of JSON input)',
  ],
  ['an empty file', '', 'sundew: --config <dir>/config.json: not valid JSON (Unexpected end of JSON input)'],
].map(([what, text, message]) => ({
  input: '--config',
  what: what!,
  args: ['train', '--config', '<dir>/config.json'],
  setup: json('config.json', text!),
  message: message!,
}));

const idx = (dir: string, o: Parameters<typeof writeIdxFolder>[1] = {}) =>
  writeIdxFolder(join(dir, 'data'), o);

/** Dataset folders: missing, truncated, corrupt, of another dataset, inconsistent. */
export const dataCases: BadInputCase[] = [
  {
    input: '--data-dir',
    what: 'an empty folder',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: (dir) => mkdir(join(dir, 'data')),
    message:
      'sundew: <dir>/data/train-images-idx3-ubyte.gz: file not found; expected Fashion-MNIST IDX files here: install them with `apt-get install dataset-fashion-mnist` (→ /usr/share/datasets/fashion-mnist), or use the bundled subset',
  },
  {
    input: '--data-dir',
    what: 'CIFAR-10 files, --dataset fashion-mnist',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: (dir) => writeCifarFolder(join(dir, 'data')),
    message:
      'sundew: <dir>/data: this folder holds CIFAR-10 binary batches (data_batch_1.bin…), not fashion-mnist IDX files; use --dataset cifar10, or --data-dir with the fashion-mnist files',
  },
  {
    input: '--data-dir',
    what: 'Fashion-MNIST files, --dataset cifar10',
    args: ['train', '--dataset', 'cifar10', '--data-dir', '<bundled>'],
    message:
      'sundew: <bundled>: this folder holds MNIST-format IDX files (train-images-idx3-ubyte…): Fashion-MNIST or MNIST, not the CIFAR-10 binary version; use --dataset fashion-mnist, or --data-dir with the cifar10 files',
  },
  {
    input: 'train-images-idx3-ubyte.gz',
    what: 'truncated (half the file)',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: async (dir) => {
      await idx(dir);
      const file = join(dir, 'data', 'train-images-idx3-ubyte.gz');
      const { readFile } = await import('node:fs/promises');
      const bytes = await readFile(file);
      await writeFile(file, bytes.subarray(0, bytes.length >> 1));
    },
    message: 'sundew: <dir>/data/train-images-idx3-ubyte.gz: corrupt gzip data (unexpected end of file)',
  },
  {
    input: 'train-images-idx3-ubyte.gz',
    what: 'truncated data, valid gzip',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: async (dir) => {
      await idx(dir);
      await writeFile(
        join(dir, 'data', 'train-images-idx3-ubyte.gz'),
        gzipSync(idxBytes([20, 28, 28], new Uint8Array(1000))),
      );
    },
    message:
      'sundew: <dir>/data/train-images-idx3-ubyte.gz: truncated: header declares 20×28×28 = 15680 bytes of data, file has 1000',
  },
  {
    input: 'train-labels-idx1-ubyte.gz',
    what: 'not an IDX file (random bytes)',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: async (dir) => {
      await idx(dir);
      await writeFile(join(dir, 'data', 'train-labels-idx1-ubyte.gz'), Buffer.from('PK\x03\x04 a zip file'));
    },
    message:
      'sundew: <dir>/data/train-labels-idx1-ubyte.gz: not an IDX file of unsigned bytes with 1 dimension(s): magic is "50 4b 03 04", expected "00 00 08 01"',
  },
  {
    input: 'train-labels-idx1-ubyte.gz',
    what: 'a label out of range (12)',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: (dir) => idx(dir, { labels: (i) => (i === 7 ? 12 : i % 10) }),
    message:
      'sundew: <dir>/data/train-labels-idx1-ubyte.gz: label 12 at sample 7 is out of range; expected 0–9',
  },
  {
    input: 'train-labels-idx1-ubyte.gz',
    what: 'fewer labels than images',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: (dir) => idx(dir, { labelCount: 19 }),
    message:
      'sundew: <dir>/data/train-labels-idx1-ubyte.gz: 19 labels for 20 images in <dir>/data/train-images-idx3-ubyte.gz; expected equal counts',
  },
  {
    input: 't10k-images-idx3-ubyte.gz',
    what: 'test images of another size (32×32) than the training images (28×28)',
    args: ['train', '--data-dir', '<dir>/data'],
    setup: (dir) => idx(dir, { testSize: [32, 32] }),
    message:
      'sundew: --data-dir <dir>/data: the training images are 28×28×1 but the test images are 32×32×1; the folder mixes two datasets: keep the four files of one',
  },
  {
    input: 'data_batch_3.bin',
    what: 'missing',
    args: ['train', '--dataset', 'cifar10', '--data-dir', '<dir>/data'],
    setup: async (dir) => {
      await writeCifarFolder(join(dir, 'data'));
      const { rm } = await import('node:fs/promises');
      await rm(join(dir, 'data', 'data_batch_3.bin'));
    },
    message:
      'sundew: <dir>/data/data_batch_3.bin: file not found; expected the CIFAR-10 binary version (cifar-10-batches-bin: data_batch_1..5.bin, test_batch.bin) in this folder',
  },
  {
    input: 'data_batch_1.bin',
    what: 'a partial record',
    args: ['train', '--dataset', 'cifar10', '--data-dir', '<dir>/data'],
    setup: async (dir) => {
      await writeCifarFolder(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'data_batch_1.bin'), new Uint8Array(5000));
    },
    message:
      'sundew: <dir>/data/data_batch_1.bin: 5000 bytes is not a whole number of 3073-byte CIFAR-10 records (label + 32×32×3)',
  },
];

/** Every flag of `sundew plot`. */
export const plotCases: BadInputCase[] = [
  ['--metrics', 'missing flag', [], "error: required option '--metrics <file>' not specified"],
  ['--metrics', 'no value', ['--metrics'], "error: option '--metrics <file>' argument missing"],
  [
    '--metrics',
    'missing file',
    ['--metrics', '<dir>/metrics.json'],
    'sundew: <dir>/metrics.json: no such file; expected a metrics.json written by `sundew train`',
  ],
  ['--metrics', 'a folder', ['--metrics', '<dir>'], 'sundew: <dir>: cannot be read (EISDIR)'],
  [
    '--metrics',
    'not JSON',
    ['--metrics', '<dir>/file'],
    'sundew: <dir>/file: not valid JSON (Unexpected token \'x\', "x" is not valid JSON); expected a Sundew metrics file',
  ],
  [
    '--metrics',
    'JSON of something else',
    ['--metrics', '<dir>/config.json'],
    'sundew: <dir>/config.json: not a Sundew metrics file: field "schema" must be "sundew.metrics/v1"',
  ],
  [
    '--metrics',
    'a truncated metrics.json',
    ['--metrics', '<dir>/cut.json'],
    'sundew: <dir>/cut.json: not valid JSON (Unterminated string in JSON at position 463); expected a Sundew metrics file',
  ],
  [
    '--compare',
    'no value',
    ['--metrics', '<dir>/m.json', '--compare'],
    "error: option '--compare <file...>' argument missing",
  ],
  [
    '--compare',
    'not a metrics file',
    ['--metrics', '<dir>/m.json', '--compare', '<dir>/file'],
    'sundew: <dir>/file: not valid JSON (Unexpected token \'x\', "x" is not valid JSON); expected a Sundew metrics file',
  ],
  [
    '--baseline',
    'missing file',
    ['--metrics', '<dir>/m.json', '--baseline', '<dir>/none.json'],
    'sundew: <dir>/none.json: no such file; expected a metrics.json written by `sundew train`',
  ],
  [
    '--out',
    'an existing file',
    ['--metrics', '<dir>/m.json', '--out', '<dir>/file'],
    'sundew: --out <dir>/file: cannot write there (EEXIST)',
  ],
  [
    '--format',
    'unknown format',
    ['--metrics', '<dir>/m.json', '--format', 'gif'],
    'sundew: --format: expected a comma-separated list of svg, png; received "gif"',
  ],
  [
    '--format',
    'empty',
    ['--metrics', '<dir>/m.json', '--format', ''],
    'sundew: --format: expected a comma-separated list of svg, png; received ""',
  ],
  [
    '--format',
    'one bad of two',
    ['--metrics', '<dir>/m.json', '--format', 'svg,jpeg'],
    'sundew: --format: expected a comma-separated list of svg, png; received "svg,jpeg"',
  ],
  ['--bogus', 'unknown flag', ['--metrics', '<dir>/m.json', '--bogus'], "error: unknown option '--bogus'"],
].map(([input, what, args, message]) => ({
  input: input as string,
  what: what as string,
  args: ['plot', ...(args as string[])],
  setup: plotFiles,
  message: message as string,
}));

/** The flags only `sundew compare` has (the shared train options are the train cases above). */
export const compareCases: BadInputCase[] = (
  [
    [
      '--budget-seconds',
      'missing (and no --budget-samples)',
      [],
      'sundew: --budget-seconds: compare needs a budget: --budget-seconds (e.g. 10,30,90) or --budget-samples (e.g. 24000,48000)',
    ],
    [
      '--budget-samples',
      'with --budget-seconds',
      ['--budget-seconds', '5', '--budget-samples', '1000'],
      'sundew: --budget-seconds: --budget-seconds and --budget-samples are two budgets for one comparison: keep one; received [5]',
    ],
    [
      '--tune-lrs',
      'zero',
      ['--budget-seconds', '5', '--tune-lrs', '0'],
      'sundew: --tune-lrs: must be > 0; received [0]',
    ],
    [
      '--budget-seconds',
      'zero',
      ['--budget-seconds', '0'],
      'sundew: --budget-seconds: must be > 0; received [0]',
    ],
    [
      '--budget-seconds',
      'negative',
      ['--budget-seconds=-5'],
      'sundew: --budget-seconds: must be > 0; received [-5]',
    ],
    [
      '--budget-seconds',
      'too large',
      ['--budget-seconds', '1e7'],
      'sundew: --budget-seconds: must be ≤ 1000000; received [10000000]',
    ],
    [
      '--budget-seconds',
      'not a number',
      ['--budget-seconds', '10,x'],
      "error: option '--budget-seconds <list>' argument '10,x' is invalid. --budget-seconds expects comma-separated numbers, e.g. 10,30,90.",
    ],
    [
      '--seeds',
      'not an integer',
      ['--budget-seconds', '5', '--seeds', '1.5'],
      "error: option '--seeds <list>' argument '1.5' is invalid. --seeds expects comma-separated integers, e.g. 1,2.",
    ],
    [
      '--seeds',
      'negative',
      ['--budget-seconds', '5', '--seeds=-1'],
      'sundew: --seeds: must be ≥ 0; received [-1]',
    ],
    [
      '--methods',
      'unknown method',
      ['--budget-seconds', '5', '--methods', 'full,magic'],
      'sundew: --methods: must be one of full, full-tuned, ast, random; received ["full","magic"]',
    ],
    [
      '--format',
      'unknown format',
      ['--budget-seconds', '5', '--format', 'gif'],
      'sundew: --format: expected a comma-separated list of svg, png; received "gif"',
    ],
    [
      '--mode',
      'a train flag compare sets itself',
      ['--budget-seconds', '5', '--mode', 'full'],
      'sundew: --mode: compare makes its own runs (full training, AST, the random control); choose them with --methods, e.g. --methods full,ast',
    ],
    [
      '--seed',
      'one seed instead of the list',
      ['--budget-seconds', '5', '--seed', '3'],
      'sundew: --seed: compare takes a list; use --seeds, e.g. --seeds 1,2',
    ],
  ] as const
).map(([input, what, args, message]) => ({
  input,
  what,
  args: ['compare', ...args, '--out', '<dir>/run'],
  message,
}));

/** A valid metrics.json (`m.json`), a truncated one (`cut.json`), other JSON and a text file. */
async function plotFiles(dir: string): Promise<void> {
  const { MetricsRecorder, stringifyRunMetrics } = await import('@sundew/metrics');
  const recorder = new MetricsRecorder({
    label: 'ast',
    mode: 'sparse',
    environment: { backend: 'wasm', node: 'v20', platform: 'linux', arch: 'x64', cores: 2 },
    targetActivationRate: 0.1,
  });
  recorder.recordBatch({
    epoch: 0,
    batch: 0,
    batchSize: 8,
    activated: 1,
    threshold: 0.5,
    loss: 1,
    energyConsumed: 10.7,
    energyBaseline: 80,
    stepSeconds: 0.1,
  });
  recorder.endEpoch({ epoch: 0, valLoss: 1, valAccuracy: 0.5, epochSeconds: 1, validationSeconds: 0.1 });
  const text = stringifyRunMetrics(recorder.toJSON());
  await writeFile(join(dir, 'm.json'), text);
  await writeFile(join(dir, 'cut.json'), text.slice(0, text.length >> 1));
  await writeFile(join(dir, 'config.json'), '{"epochs": 2}');
  await writeFile(join(dir, 'file'), 'x');
}

/** The bundled data folder, as messages show it. */
export const BUNDLED_DIR = FASHION_MNIST_BUNDLED_DIR;
