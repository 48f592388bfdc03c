import type { BatchEvent } from '@sundew/trainer';
import cliProgress from 'cli-progress';

/** What one finished batch tells the progress display. */
export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  /** Running activation rate of the epoch, 0–1. */
  activationRate: number;
  energySavedPercent: number;
  threshold: number;
  /** With a time budget: training seconds used and the budget (then shown instead of the epoch count). */
  budget?: { used: number; seconds: number };
}

/** What the display needs from the trainer's `onBatchEnd` event. */
export function batchProgressOf(e: BatchEvent): BatchProgress {
  return {
    epoch: e.epoch,
    epochs: e.epochs,
    batch: e.batch,
    batches: e.batches,
    loss: e.loss,
    activationRate: e.epochActivationRate,
    energySavedPercent: e.gate?.energySavedPercent ?? 0,
    threshold: e.gate?.threshold ?? Number.NaN,
    ...(e.budgetSeconds ? { budget: { used: e.trainSeconds, seconds: e.budgetSeconds } } : {}),
  };
}

/** "3/10", or "3 (12.5/30 s)" when a time budget, not the epoch count, ends the run. */
const epochLabel = (p: BatchProgress): string =>
  p.budget
    ? `${p.epoch + 1} (${p.budget.used.toFixed(1)}/${p.budget.seconds} s)`
    : `${p.epoch + 1}/${p.epochs}`;

/** Shows training progress: a live bar on a terminal, plain lines elsewhere. */
export interface ProgressReporter {
  batch(p: BatchProgress): void;
  /** One line at the end of an epoch (already formatted). */
  epoch(line: string): void;
  /** Free text (e.g. "resumed from …"). */
  log(line: string): void;
  stop(): void;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Pick the display: `auto` is a bar on a TTY and lines otherwise (CI, pipes). */
export function createProgress(
  kind: 'auto' | 'bar' | 'lines' | 'none',
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const resolved = kind === 'auto' ? (stream.isTTY && !process.env['CI'] ? 'bar' : 'lines') : kind;
  if (resolved === 'none') return { batch() {}, epoch() {}, log() {}, stop() {} };
  return resolved === 'bar' ? barProgress(stream) : lineProgress(stream);
}

/** Ten lines per epoch (and the last batch), like the reference trainer. */
function lineProgress(stream: NodeJS.WriteStream): ProgressReporter {
  return {
    batch(p) {
      const every = Math.max(1, Math.ceil(p.batches / 10));
      if ((p.batch + 1) % every !== 0 && p.batch + 1 !== p.batches) return;
      stream.write(
        `epoch ${epochLabel(p)} batch ${p.batch + 1}/${p.batches}  loss ${num(p.loss)}  ` +
          `active ${pct(p.activationRate)}  energy saved ${num(p.energySavedPercent, 1)}%  threshold ${num(p.threshold)}\n`,
      );
    },
    epoch: (line) => stream.write(`${line}\n`),
    log: (line) => stream.write(`${line}\n`),
    stop() {},
  };
}

function barProgress(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format:
        'epoch {ep} |{bar}| {value}/{total} batches | loss {loss} | active {active} | saved {saved} | θ {theta} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let epoch = -1;
  const stopBar = (): void => {
    if (started) bar.stop();
    started = false;
  };
  return {
    batch(p) {
      const payload = {
        ep: epochLabel(p),
        loss: num(p.loss),
        active: pct(p.activationRate),
        saved: `${num(p.energySavedPercent, 1)}%`,
        theta: num(p.threshold),
      };
      if (!started || epoch !== p.epoch) {
        stopBar();
        bar.start(p.batches, p.batch + 1, payload);
        started = true;
        epoch = p.epoch;
      } else {
        bar.update(p.batch + 1, payload);
      }
    },
    epoch(line) {
      stopBar();
      stream.write(`${line}\n`);
    },
    log(line) {
      stopBar();
      stream.write(`${line}\n`);
    },
    stop: stopBar,
  };
}
