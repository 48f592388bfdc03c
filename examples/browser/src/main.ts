// The page: controls, the live dashboard (@sundew/plot's d3 figures drawn
// with this document), exports. Training runs in ./worker.ts.

import { withBaselines } from '@sundew/metrics';
import { mountFigure, svgToPngBlob, thresholdAdaptation, trainingDashboard } from '@sundew/plot/dom';
import type { RunMetrics } from '@sundew/types';
import { LiveRuns, metricsText } from './page/live-runs.js';
import { checkRunConfig, type RawConfig, type RunConfig, RunConfigError } from './run/config.js';
import type { BackendInfo, FromWorker, ToWorker } from './run/protocol.js';

type PageState = 'loading' | 'idle' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

const $ = <T extends HTMLElement>(selector: string) => {
  const element = document.querySelector<T>(selector);
  if (!element) throw new Error(`page: ${selector} is missing from index.html`);
  return element;
};
const form = $<HTMLFormElement>('#controls');
const startButton = $<HTMLButtonElement>('#start');
const pauseButton = $<HTMLButtonElement>('#pause');
const stopButton = $<HTMLButtonElement>('#stop');
const exportButtons = ['#export-metrics', '#export-svg', '#export-png'].map((s) => $<HTMLButtonElement>(s));
const message = $('#message');
const status = $('#status');
const dashboard = $('#dashboard');
const threshold = $('#threshold');

const live = new LiveRuns();
/** What the end-to-end test reads (and a curious person in the console). */
const page = {
  state: 'loading' as PageState,
  backend: null as BackendInfo | null,
  config: null as RunConfig | null,
  batchesPerEpoch: 0,
  finalTensors: null as number | null,
  redraws: 0,
  redrawMs: [] as number[],
  /** Milliseconds between animation frames while a run trains. */
  frameGaps: [] as number[],
  errors: [] as string[],
  metrics: (): RunMetrics[] => live.ordered(),
  /**
   * Milliseconds of one redraw with every run's batch history stretched to
   * `batches` in epochs of `perEpoch` (its records repeated): the cost after a long run.
   */
  redrawWith: (batches: number, perEpoch: number): number => {
    const stretched = live.ordered().map((m) => {
      const per = Math.max(1, perEpoch);
      const copy = structuredClone(m);
      copy.batches = Array.from({ length: batches }, (_, i) => ({
        ...m.batches[i % m.batches.length]!,
        epoch: Math.floor(i / per),
        batch: i % per,
      }));
      copy.epochs = Array.from({ length: Math.ceil(batches / per) }, (_, e) => ({
        ...m.epochs[e % m.epochs.length]!,
        epoch: e,
      }));
      return copy;
    });
    draw(stretched);
    const ms = page.redrawMs.pop()!;
    page.redraws--;
    draw();
    return ms;
  },
  tensorsAtEpochs: (): Record<string, number[]> => Object.fromEntries(live.tensorsAtEpochs),
};
(globalThis as { sundew?: typeof page }).sundew = page;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (m: ToWorker) => worker.postMessage(m);

function setState(state: PageState): void {
  page.state = state;
  document.body.dataset['state'] = state;
  const busy = state === 'running' || state === 'paused';
  startButton.disabled = busy || state === 'loading' || state === 'error';
  pauseButton.disabled = !busy;
  pauseButton.textContent = state === 'paused' ? 'resume' : 'pause';
  stopButton.disabled = !busy;
  for (const b of exportButtons) b.disabled = live.runs.size === 0;
}

function showError(text: string): void {
  message.textContent = text;
}

// Redraws happen inside an animation frame, from the figures' down-sampled
// series (min/max per pixel, as the Node figures draw).
let dirty = false;
let lastDraw = 0;
function draw(runs = live.ordered()): void {
  const [first, ...others] = runs;
  if (!first) return;
  const t0 = performance.now();
  // The speed panel's full-training bar: the full run's epochs, as `sundew plot --compare` does.
  const main = withBaselines(
    first,
    others.map((run) => ({ run, source: `the ${run.run.label} run in this page` })),
  );
  mountFigure(dashboard, trainingDashboard(main, { compare: others }));
  const gated = runs.find((r) => r.run.mode === 'sparse');
  if (gated) mountFigure(threshold, thresholdAdaptation(gated, { width: 1100, height: 420 }));
  page.redraws++;
  page.redrawMs.push(performance.now() - t0);
  dirty = false;
  lastDraw = performance.now();
}

let lastFrame = 0;
function frame(now: number): void {
  if (page.state === 'running' && lastFrame > 0) page.frameGaps.push(now - lastFrame);
  lastFrame = now;
  // Every 400 ms, and never more than a fifth of the time: a redraw that
  // grew slow (a long history) waits 4× its own cost, so frames keep coming.
  const last = page.redrawMs.at(-1) ?? 0;
  if (dirty && now - lastDraw > Math.max(400, 4 * last)) draw();
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

function progressLine(): string {
  const parts = live.ordered().map((m) => {
    const done = m.epochs.length;
    const last = m.epochs.at(-1);
    const acc = last?.valAccuracy != null ? `, val acc ${(100 * last.valAccuracy).toFixed(1)} %` : '';
    const rate =
      last && m.run.mode === 'sparse' ? `, active ${(100 * last.activationRate).toFixed(1)} %` : '';
    return `${m.run.label}: ${m.batches.length} batches, ${done} epoch${done === 1 ? '' : 's'}${acc}${rate}`;
  });
  return parts.join(' · ');
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'ready': {
      page.backend = m.backend;
      const b = m.backend;
      $('#backend').textContent =
        `backend ${b.backend}: ${b.wasmBinary}, ${b.threads} thread${b.threads === 1 ? '' : 's'}, ` +
        `SIMD ${b.simd ? 'on' : 'off'}, fused kernels ${b.kernelsActive ? `on (${b.kernelBuild}-memory build)` : 'off'}, ` +
        `cross-origin isolated: ${b.crossOriginIsolated ? 'yes' : 'no (single-threaded)'}`;
      setState('idle');
      return;
    }
    case 'started':
      live.reset(m.metrics);
      page.batchesPerEpoch = m.batchesPerEpoch;
      status.textContent = `training on ${m.trainCount.toLocaleString('en')} images, ${m.batchesPerEpoch} batches per epoch`;
      setState('running');
      return;
    case 'batch':
    case 'epoch':
    case 'run-done':
      live.apply(m);
      dirty = true;
      if (m.type !== 'batch' || m.record.batch % 5 === 0) status.textContent = progressLine();
      return;
    case 'paused':
      setState('paused');
      return;
    case 'resumed':
      setState('running');
      return;
    case 'finished':
      live.replace(m.metrics);
      page.finalTensors = m.tensors;
      draw();
      status.textContent = `${m.stopped ? 'stopped' : 'finished'} · ${progressLine()}`;
      setState(m.stopped ? 'stopped' : 'finished');
      return;
    case 'error':
      page.errors.push(m.message);
      showError(m.message);
      setState(page.backend ? 'idle' : 'error');
      return;
  }
};
worker.onerror = (event) => {
  page.errors.push(event.message);
  showError(`worker: ${event.message}`);
  setState('error');
};

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (page.state === 'running' || page.state === 'paused') return;
  const fields = new FormData(form);
  const raw: RawConfig = {};
  for (const [key, value] of fields) (raw as Record<string, unknown>)[key] = value;
  let config: RunConfig;
  try {
    config = checkRunConfig(raw);
  } catch (error) {
    if (!(error instanceof RunConfigError)) throw error;
    showError(`${error.message} — nothing was started`);
    form.querySelector<HTMLElement>(`[name="${error.field}"]`)?.focus();
    return;
  }
  showError('');
  page.config = config;
  page.frameGaps.length = 0;
  send({ type: 'start', config });
});
pauseButton.addEventListener('click', () => send({ type: page.state === 'paused' ? 'resume' : 'pause' }));
stopButton.addEventListener('click', () => send({ type: 'stop' }));

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
const figureSvgs = (): [string, string][] =>
  [
    ['training_results', dashboard],
    ['threshold_adaptation', threshold],
  ].flatMap(([name, el]) => {
    const svg = (el as HTMLElement).querySelector('svg');
    return svg ? [[name as string, svg.outerHTML] as [string, string]] : [];
  });
exportButtons[0]!.addEventListener('click', () => {
  for (const m of live.ordered()) {
    download(`${m.run.label}.metrics.json`, new Blob([metricsText(m)], { type: 'application/json' }));
  }
});
exportButtons[1]!.addEventListener('click', () => {
  for (const [name, svg] of figureSvgs()) download(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
});
exportButtons[2]!.addEventListener('click', async () => {
  for (const [name, svg] of figureSvgs()) download(`${name}.png`, await svgToPngBlob(svg, { scale: 1 }));
});
