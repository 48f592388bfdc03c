import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BatchRecord } from '@sundew/types';
import { describe, expect, it } from 'vitest';
import {
  MetricsFormatError,
  MetricsRecorder,
  MetricsWriteError,
  parseRunMetrics,
  readRunMetrics,
  stringifyRunMetrics,
  summarizeRun,
  writeRunMetrics,
} from './index.js';

const env = { backend: 'cpu', node: 'v20', platform: 'linux', arch: 'x64', cores: 2 };

function batch(epoch: number, i: number, activated: number, loss = 1, size = 10): BatchRecord {
  return {
    epoch,
    batch: i,
    batchSize: size,
    activated,
    threshold: 0.5,
    loss,
    energyConsumed: activated * 10 + (size - activated) * 0.1,
    energyBaseline: size * 10,
    stepSeconds: 0.01,
  };
}

function twoEpochRun(): MetricsRecorder {
  const rec = new MetricsRecorder({
    label: 'ast',
    mode: 'sparse',
    environment: env,
    targetActivationRate: 0.1,
  });
  rec.recordBatch(batch(0, 0, 1, 2.0));
  rec.recordBatch(batch(0, 1, 3, 1.0));
  rec.endEpoch({ epoch: 0, valLoss: 1.5, valAccuracy: 0.4, epochSeconds: 2, validationSeconds: 0.5 });
  rec.recordBatch(batch(1, 0, 2, Number.NaN));
  rec.recordBatch(batch(1, 1, 2, 0.5));
  rec.endEpoch({ epoch: 1, valLoss: 1.0, valAccuracy: 0.6, epochSeconds: 3, validationSeconds: 0.5 });
  return rec;
}

describe('MetricsRecorder', () => {
  it('aggregates an epoch from its batches', () => {
    const [e0, e1] = twoEpochRun().toJSON().epochs;
    // Loss weighted by the samples each step trained on: (2·1 + 1·3) / 4.
    expect(e0!.trainLoss).toBeCloseTo(1.25, 12);
    expect(e0!.activationRate).toBeCloseTo(4 / 20, 12);
    expect(e0!.samplesProcessed).toBe(4);
    expect(e0!.samplesSkipped).toBe(16);
    // consumed = 4·10 + 16·0.1 = 41.6 of a 200 baseline.
    expect(e0!.energySavedPercent).toBeCloseTo((100 * (200 - 41.6)) / 200, 10);
    // A NaN batch loss (no step taken) is left out of the mean, not propagated.
    expect(e1!.trainLoss).toBeCloseTo(0.5, 12);
    expect(e1!.elapsedSeconds).toBe(5);
    expect(e1!.batches).toBe(2);
  });

  it('aggregates the same without keeping batch records', () => {
    const rec = new MetricsRecorder({ label: 'x', mode: 'sparse', environment: env, keepBatches: false });
    rec.recordBatch(batch(0, 0, 1, 2.0));
    rec.recordBatch(batch(0, 1, 3, 1.0));
    const e = rec.endEpoch({
      epoch: 0,
      valLoss: null,
      valAccuracy: null,
      epochSeconds: 1,
      validationSeconds: 0,
    });
    expect(e.trainLoss).toBeCloseTo(1.25, 12);
    expect(rec.toJSON().batches).toEqual([]);
  });

  it('replaces a baseline of the same mode instead of duplicating it', () => {
    const rec = twoEpochRun();
    rec.addBaseline({ mode: 'full', epochSeconds: 10 });
    rec.addBaseline({ mode: 'full', epochSeconds: 12 });
    expect(rec.toJSON().baselines).toEqual([{ mode: 'full', epochSeconds: 12 }]);
  });

  it('continues an open epoch after fromJSON exactly as the original', () => {
    const a = new MetricsRecorder({ label: 'ast', mode: 'sparse', environment: env });
    a.recordBatch(batch(0, 0, 1));
    a.endEpoch({ epoch: 0, valLoss: null, valAccuracy: null, epochSeconds: 1, validationSeconds: 0 });
    a.recordBatch(batch(1, 0, 4, 3));
    const b = MetricsRecorder.fromJSON(a.toJSON());
    for (const r of [a, b]) {
      r.recordBatch(batch(1, 1, 2, 1));
      r.endEpoch({ epoch: 1, valLoss: null, valAccuracy: null, epochSeconds: 1, validationSeconds: 0 });
    }
    expect(b.toJSON().epochs).toEqual(a.toJSON().epochs);
  });

  it('rejects an empty label', () => {
    expect(() => new MetricsRecorder({ label: '', mode: 'full' })).toThrow(/label/);
  });
});

describe('metrics files', () => {
  it('round-trips through metrics.json, NaN included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-metrics-'));
    const rec = twoEpochRun();
    rec.note('sample mode timed on 3 batches');
    rec.finish();
    const metrics = rec.toJSON();
    await writeRunMetrics(dir, metrics);
    expect((await readdir(dir)).sort()).toEqual(['batches.csv', 'epochs.csv', 'metrics.json']);
    const back = await readRunMetrics(join(dir, 'metrics.json'));
    expect(back).toEqual(metrics);
    expect(Number.isNaN(back.batches[2]!.loss)).toBe(true);
  });

  it('reads a gzip-compressed metrics.json.gz as its content, and names a corrupt one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-metrics-'));
    const rec = twoEpochRun();
    rec.finish();
    await writeRunMetrics(dir, rec.toJSON());
    const text = await readFile(join(dir, 'metrics.json'));
    await writeFile(join(dir, 'metrics.json.gz'), gzipSync(text));
    expect(await readRunMetrics(join(dir, 'metrics.json.gz'))).toEqual(rec.toJSON());
    await writeFile(join(dir, 'bad.json.gz'), gzipSync(text).subarray(0, 40));
    await expect(readRunMetrics(join(dir, 'bad.json.gz'))).rejects.toThrow(/bad\.json\.gz: cannot be read/);
  });

  it('a folder that cannot be written is a MetricsWriteError naming it; an old metrics.json never outlives new CSVs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-metrics-'));
    await writeFile(join(dir, 'file'), 'x');
    const e = await writeRunMetrics(join(dir, 'file', 'run'), twoEpochRun().toJSON()).catch((x) => x);
    expect(e).toBeInstanceOf(MetricsWriteError);
    expect(e.code).toBe('ENOTDIR');
    expect(e.message).toBe(`${join(dir, 'file', 'run')}: cannot write (ENOTDIR: not a directory)`);
    const run = join(dir, 'run');
    await writeRunMetrics(run, twoEpochRun().toJSON());
    // A CSV that cannot be replaced (a folder in its way) fails the write; the old JSON is already gone.
    await rm(join(run, 'batches.csv'));
    await mkdir(join(run, 'batches.csv'));
    await expect(writeRunMetrics(run, twoEpochRun().toJSON())).rejects.toThrow(MetricsWriteError);
    expect((await readdir(run)).includes('metrics.json')).toBe(false);
  });

  it('removes the temp files a killed writer left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-metrics-'));
    await writeFile(join(dir, 'metrics.json.1234567'), '{"half": ');
    await writeFile(join(dir, 'notes.txt.42'), 'not ours');
    await writeRunMetrics(dir, twoEpochRun().toJSON());
    expect((await readdir(dir)).sort()).toEqual([
      'batches.csv',
      'epochs.csv',
      'metrics.json',
      'notes.txt.42',
    ]);
  });

  it('writes CSV with a header and empty cells for missing values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-metrics-'));
    await writeRunMetrics(dir, twoEpochRun().toJSON());
    const lines = (await readFile(join(dir, 'batches.csv'), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe(
      'epoch,batch,batchSize,activated,threshold,loss,energyConsumed,energyBaseline,stepSeconds',
    );
    expect(lines).toHaveLength(5);
    expect(lines[3]!.split(',')[5]).toBe('');
    const epochs = (await readFile(join(dir, 'epochs.csv'), 'utf8')).trim().split('\n');
    expect(epochs[1]!.split(',')[3]).toBe('0.4');
  });

  it('names the bad field of a malformed file', () => {
    const good = JSON.parse(stringifyRunMetrics(twoEpochRun().toJSON()));
    good.epochs[1].valAccuracy = 'high';
    expect(() => parseRunMetrics(JSON.stringify(good), 'run/metrics.json')).toThrow(
      'run/metrics.json: field "epochs.1.valAccuracy": expected a number ≥ 0 and ≤ 1, received "high"',
    );
    good.epochs[1].valAccuracy = 0.5;
    good.run.targetActivationRate = 0;
    expect(() => parseRunMetrics(JSON.stringify(good), 'm.json')).toThrow(
      'm.json: field "run.targetActivationRate": expected a number > 0 and ≤ 1, received 0',
    );
    delete good.run.label;
    expect(() => parseRunMetrics(JSON.stringify(good), 'm.json')).toThrow(
      'm.json: field "run.label": expected a non-empty string, received nothing',
    );
    expect(() => parseRunMetrics('[1]', 'm.json')).toThrow('m.json: not a Sundew metrics file');
  });

  it('rejects other files clearly', async () => {
    expect(() => parseRunMetrics('{"hello":1}')).toThrow(/not a Sundew metrics file/);
    expect(() => parseRunMetrics('{"schema": ')).toThrow(MetricsFormatError);
    await expect(readRunMetrics('/nonexistent/metrics.json')).rejects.toThrow(/no such file/);
  });
});

describe('summarizeRun', () => {
  it('derives the headline numbers and a speed-up only from a measured baseline', () => {
    const rec = twoEpochRun();
    expect(summarizeRun(rec.toJSON()).speedupVsFull).toBeNull();
    rec.addBaseline({ mode: 'full', epochSeconds: 10 });
    const s = summarizeRun(rec.toJSON());
    expect(s.speedupVsFull).toBeCloseTo(10 / 2.5, 12);
    expect(s.finalValAccuracy).toBe(0.6);
    expect(s.bestValAccuracy).toBe(0.6);
    expect(s.activationRate).toBeCloseTo(8 / 40, 12);
    expect(s.samplesSkipped).toBe(32);
    expect(s.trainSeconds).toBe(5);
  });
});

describe('baselines from other runs', () => {
  it('takes complete epochs as measured and extrapolates a partial sample-mode timing', async () => {
    const { baselineFrom, withBaselines } = await import('./index.js');
    const full = new MetricsRecorder({ label: 'full', mode: 'full', environment: env });
    full.recordBatch(batch(0, 0, 10));
    full.endEpoch({ epoch: 0, valLoss: null, valAccuracy: null, epochSeconds: 30, validationSeconds: 1 });
    full.recordBatch(batch(1, 0, 10));
    full.endEpoch({ epoch: 1, valLoss: null, valAccuracy: null, epochSeconds: 34, validationSeconds: 1 });
    expect(baselineFrom(full.toJSON(), 'full.json')).toEqual({
      mode: 'full',
      epochSeconds: 32,
      source: 'full.json',
    });

    const sample = new MetricsRecorder({ label: 'sample', mode: 'sample', environment: env });
    sample.setEpochShape({ batchesPerEpoch: 47, trainSamples: 6000 });
    for (let b = 0; b < 5; b++) sample.recordBatch(batch(0, b, 1));
    sample.endEpoch({
      epoch: 0,
      valLoss: null,
      valAccuracy: null,
      epochSeconds: 50,
      validationSeconds: 1,
      partial: true,
    });
    expect(baselineFrom(sample.toJSON())).toEqual({
      mode: 'sample',
      epochSeconds: 470,
      measuredBatches: 5,
      batchesPerEpoch: 47,
    });

    const ast = twoEpochRun().toJSON();
    const merged = withBaselines(ast, [
      { run: full.toJSON(), source: 'full' },
      { run: sample.toJSON(), source: 'sample' },
      { run: ast, source: 'self' },
    ]);
    expect(merged.baselines.map((b) => b.mode)).toEqual(['full', 'sample']);
    expect(ast.baselines).toEqual([]);
  });
});
