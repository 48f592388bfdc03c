import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import {
  accuracyBy,
  architectureDiagram,
  comparison,
  downsampleMinMax,
  equalBudget,
  equalTime,
  FONT_FILES,
  renderFigures,
  svgToPng,
  thresholdAdaptation,
  timeToAccuracy,
  trainingDashboard,
} from './index.js';
import { fixtureRun } from './testing/fixtures.js';

const parse = (svg: string) => new JSDOM(svg, { contentType: 'image/svg+xml' }).window.document;
const texts = (doc: Document) => [...doc.querySelectorAll('text')].map((t) => t.textContent ?? '');

describe('trainingDashboard', () => {
  it('has the six panels of the seed, with axes over the data', () => {
    const doc = parse(trainingDashboard(fixtureRun({ epochs: 4 })));
    const panels = [...doc.querySelectorAll('[data-panel]')].map((p) => p.getAttribute('data-panel'));
    expect(panels).toEqual(['loss', 'accuracy', 'activation', 'energy', 'speed', 'samples']);
    // Time series share an epoch axis from 0, and the accuracy axis is the whole 0–100 % scale.
    expect(doc.querySelector('[data-panel="loss"]')!.getAttribute('data-x-domain')).toBe('0,4');
    expect(doc.querySelector('[data-panel="accuracy"]')!.getAttribute('data-y-domain')).toBe('0,100');
    expect(texts(doc)).toContain('AST: 70.0% after 4 epochs');
    expect(texts(doc)).toContain("target 10.0% (the run's setting)");
    // Loss per batch (not per epoch) and the validation loss.
    const lossPath = doc.querySelector('[data-panel="loss"] path.train-loss')!.getAttribute('d')!;
    expect(lossPath.split('L')).toHaveLength(40);
    expect(doc.querySelectorAll('[data-panel="loss"] path.val-loss')).toHaveLength(1);
  });

  it('marks the chance level when the dataset is known', () => {
    const doc = parse(trainingDashboard(fixtureRun({ config: { dataset: 'fashion-mnist-subset/train' } })));
    expect(texts(doc)).toContain('chance 10%');
    expect(texts(parse(trainingDashboard(fixtureRun())))).not.toContain('chance 10%');
  });

  it('draws full training and the random control beside AST, and states the accuracy beside the speed-up', () => {
    const ast = fixtureRun({ epochSeconds: 8, baselines: [{ mode: 'full', epochSeconds: 30 }] });
    const full = fixtureRun({ mode: 'full', accuracyOffset: 0.05 });
    const random = fixtureRun({ label: 'random', config: { scorer: 'random' }, accuracyOffset: -0.02 });
    const doc = parse(trainingDashboard(ast, { compare: [full, random] }));
    expect(doc.querySelector('.figure-title')!.textContent).toBe(
      'Training results: AST vs full training and random control',
    );
    expect(doc.querySelectorAll('[data-panel="accuracy"] path.run')).toHaveLength(3);
    expect(texts(doc)).toContain('3.75× less time per epoch than full training');
    expect(texts(doc)).toContain('at 60.0% vs 65.0% for full training after 3 epochs (−5.0 points)');
    expect(texts(doc)).toContain('random control: 58.0% after 3 epochs');
    expect(doc.querySelector('.figure-subtitle')!.textContent).toContain(
      'AST 3.75× less time per epoch than full training, at 60.0% vs 65.0%',
    );
    const rows = [...doc.querySelectorAll('.samples-row')].map((r) => r.getAttribute('data-run'));
    expect(rows).toEqual(['AST', 'full training', 'random control']);
  });

  it('draws a full run alone without an AST title, an empty energy panel or bars that were not measured', () => {
    const doc = parse(trainingDashboard(fixtureRun({ mode: 'full', label: 'full' })));
    expect(doc.querySelector('.figure-title')!.textContent).toBe('Training results: full training');
    const energy = doc.querySelector('[data-panel="energy"]')!;
    expect(Number(energy.getAttribute('data-energy-spent'))).toBeGreaterThan(0);
    expect(energy.querySelector('path.energy-spent')!.getAttribute('d')).not.toBe('');
    expect(texts(doc)).toContain('full training skips nothing: 0% saved');
    expect(texts(doc)).toContain('no AST run here: speed-up not measured');
    for (const bar of doc.querySelectorAll('.speed-bar[data-measured="false"]'))
      expect(bar.querySelector('rect')).toBeNull();
  });

  it('shows measured speed bars only, with the speed-up of the measured ratio', () => {
    const alone = parse(trainingDashboard(fixtureRun({ epochSeconds: 8 })));
    const measured = [...alone.querySelectorAll('.speed-bar[data-measured="true"]')].map((g) =>
      g.getAttribute('data-mode'),
    );
    expect(measured).toEqual(['sparse']);
    expect(alone.querySelectorAll('.not-measured')).toHaveLength(2);
    // "not measured" is words, never a shape with a height on the seconds axis.
    expect(alone.querySelectorAll('.speed-bar[data-measured="false"] rect')).toHaveLength(0);
    expect(texts(alone)).toContain('speed-up vs full training: not measured');

    const withFull = parse(
      trainingDashboard(
        fixtureRun({
          epochSeconds: 8,
          baselines: [
            { mode: 'full', epochSeconds: 30 },
            { mode: 'sample', epochSeconds: 400, measuredBatches: 5, batchesPerEpoch: 47 },
          ],
        }),
      ),
    );
    expect(withFull.querySelector('.speedup')!.getAttribute('data-speedup-full')).toBe(String(30 / 8));
    expect(texts(withFull)).toContain('3.75× less time per epoch than full training');
    // The full run's accuracy was not given: the banner says so rather than guess.
    expect(texts(withFull)).toContain("AST 60.0% after 3 epochs; full training's accuracy: not measured");
    expect(texts(withFull)).toContain('extrapolated from 5 of 47 batches');
    expect(withFull.querySelectorAll('.not-measured')).toHaveLength(0);
  });

  it('counts processed and skipped samples', () => {
    const run = fixtureRun({ epochs: 2 });
    const doc = parse(trainingDashboard(run));
    const panel = doc.querySelector('[data-panel="samples"]')!;
    const processed = run.epochs.reduce((s, e) => s + e.samplesProcessed, 0);
    expect(Number(panel.getAttribute('data-processed'))).toBe(processed);
    expect(Number(panel.getAttribute('data-skipped'))).toBe(2000 - processed);
  });

  it('draws one epoch, many epochs, no validation and NaN values without crashing', () => {
    expect(texts(parse(trainingDashboard(fixtureRun({ epochs: 1 }))))).toContain('Loss');
    expect(trainingDashboard(fixtureRun({ epochs: 100, batchesPerEpoch: 2 }))).toContain(
      'data-panel="speed"',
    );
    expect(texts(parse(trainingDashboard(fixtureRun({ validation: false }))))).toContain('no validation');
    const run = fixtureRun({ epochs: 3 });
    run.epochs[1]!.trainLoss = Number.NaN;
    run.epochs[2]!.valAccuracy = null;
    const svg = trainingDashboard(run);
    expect(svg).not.toContain('NaN');
  });
});

describe('architectureDiagram', () => {
  it('states the run\'s measured numbers and "not measured" without a baseline', () => {
    const doc = parse(architectureDiagram(fixtureRun()));
    const stat = (id: string) => doc.querySelector(`[data-stat="${id}"]`)!.getAttribute('data-value');
    expect(stat('speedup')).toBe('not measured');
    expect(stat('accuracy')).toBe('60.0%');
    const withFull = parse(
      architectureDiagram(fixtureRun({ epochSeconds: 5, baselines: [{ mode: 'full', epochSeconds: 20 }] })),
    );
    expect(withFull.querySelector('[data-stat="speedup"]')!.getAttribute('data-value')).toBe('4.00×');
    const compared = parse(
      architectureDiagram(
        fixtureRun({
          epochSeconds: 5,
          baselines: [{ mode: 'full', epochSeconds: 20 }],
          config: { dataset: 'fashion-mnist' },
        }),
        { compare: [fixtureRun({ mode: 'full', accuracyOffset: 0.1 })] },
      ),
    );
    expect(texts(compared)).toContain('at −10.0 accuracy points (60.0% vs 70.0%, epoch 3)');
    // NHWC, as tfjs lays images out, with the dataset's own shape.
    expect(texts(compared)).toContain('[100, 28, 28, 1]');
    expect(texts(doc)).toContain('[100, H, W, C]');
    expect([...doc.querySelectorAll('.stage')].map((s) => s.getAttribute('data-stage'))).toEqual([
      'input',
      'significance',
      'gating',
      'mask',
      'training',
    ]);
  });
});

describe('trainingDashboard over a long run', () => {
  it('keeps every per-batch path to a few points per pixel (10,000 batches per run)', () => {
    const long = (label: string, mode: 'full' | 'sparse') =>
      fixtureRun({ label, mode, epochs: 100, batchesPerEpoch: 100 });
    const doc = parse(trainingDashboard(long('ast', 'sparse'), { compare: [long('full', 'full')] }));
    for (const path of doc.querySelectorAll('path')) {
      // A point is a command letter and two numbers; 2 per pixel of a 500-pixel panel is ~1,000.
      const points = (path.getAttribute('d') ?? '').split(/[MLZ]/).length;
      expect(points, path.getAttribute('class') ?? 'path').toBeLessThan(2_500);
    }
    const spent = doc.querySelector('[data-energy-spent]')!.getAttribute('data-energy-spent');
    expect(Number(spent)).toBeGreaterThan(0);
  });
});

describe('thresholdAdaptation', () => {
  it('renders 100,000 batches in under a second by down-sampling', () => {
    const run = fixtureRun({ epochs: 100, batchesPerEpoch: 1000 });
    thresholdAdaptation(fixtureRun({ epochs: 10, batchesPerEpoch: 100 })); // warm-up (JIT)
    // Best of three: the suite shares 2 cores with other packages' tests.
    let best = Infinity;
    let svg = '';
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      svg = thresholdAdaptation(run);
      best = Math.min(best, performance.now() - t0);
    }
    expect(best).toBeLessThan(1000);
    expect(svg.length).toBeLessThan(600_000);
    expect(parse(svg).querySelectorAll('[data-panel]')).toHaveLength(2);
  });

  it("draws every batch, the gate's limits and labelled epochs", () => {
    const doc = parse(thresholdAdaptation(fixtureRun({ epochs: 3, config: { gate: 'sundew' } })));
    expect(doc.querySelectorAll('[data-panel="threshold"] line.limit')).toHaveLength(2);
    expect(texts(doc)).toContain("the gate's limits: -1 and 1");
    const script = parse(thresholdAdaptation(fixtureRun({ config: { gate: 'sundew-script' } })));
    expect(texts(script)).toContain("the gate's limits: 0 and 1");
    expect(texts(doc).filter((t) => t === 'epoch 2')).toHaveLength(2);
    expect(doc.querySelector('path.raw-rate')!.getAttribute('d')!.split('L')).toHaveLength(30);
    expect(doc.querySelector('.rolling-rate')).toBeNull();
    const library = parse(thresholdAdaptation(fixtureRun({ config: { gate: 'sundew-library' } })));
    expect(texts(library)).toContain("the gate's limits: 0.5 and 10");
    expect(
      parse(thresholdAdaptation(fixtureRun({ config: { gate: 'top-k' } }))).querySelector('line.limit'),
    ).toBeNull();
  });

  it('says when the gate has no threshold and when no batch was recorded', () => {
    expect(texts(parse(thresholdAdaptation(fixtureRun({ mode: 'full' }))))).toContain(
      'this gate has no threshold',
    );
    const empty = fixtureRun();
    empty.batches = [];
    expect(texts(parse(thresholdAdaptation(empty)))).toContain('no batches recorded');
  });
});

describe('comparison', () => {
  it('overlays every run by epoch and by seconds, with a legend', () => {
    const doc = parse(
      comparison([
        fixtureRun({ label: 'ast' }),
        fixtureRun({ label: 'full', mode: 'full' }),
        fixtureRun({ label: 'random' }),
      ]),
    );
    expect(doc.querySelectorAll('[data-panel="by-epoch"] path.run')).toHaveLength(3);
    expect(doc.querySelectorAll('[data-panel="by-time"] path.run')).toHaveLength(3);
    expect(texts(doc)).toEqual(expect.arrayContaining(['AST', 'full training', 'random control']));
    expect(doc.querySelector('[data-panel="by-time"]')!.getAttribute('data-x-domain')).toBe(`0,${30 * 1.02}`);
    expect(doc.querySelector('[data-panel="by-time"]')!.getAttribute('data-y-domain')).toBe('0,100');
    expect(doc.querySelector('.missing')).toBeNull();
  });

  it('reads every run at one equal time, as measured', () => {
    // AST is done in 3 × 2 s, full training validates first at 10 s.
    const ast = fixtureRun({ epochSeconds: 2 });
    const full = fixtureRun({ mode: 'full', epochSeconds: 10, accuracyOffset: 0.05 });
    expect(equalTime([ast, full])).toBe(10);
    expect(accuracyBy(ast, 10)!.x).toBe(6);
    expect(accuracyBy(ast, 10)!.y).toBeCloseTo(60);
    expect(accuracyBy(full, 9)).toBeNull();
    const doc = parse(comparison([ast, full]));
    expect(doc.querySelector('.equal-time')!.getAttribute('data-seconds')).toBe('10');
    expect(texts(doc)).toEqual(
      expect.arrayContaining(['AST: 60.0%, measured at 6.0 s', 'full training: 45.0%']),
    );
    // Both still running at the end: the shortest run's end (a budget).
    expect(equalTime([fixtureRun({ epochSeconds: 2 }), fixtureRun({ epochSeconds: 3 })])).toBe(6);
  });

  it('draws seeds of one method as a spread, and says which runs are missing', () => {
    const seeds = [0, 0.02, 0.04].map((d) => fixtureRun({ label: 'AST', accuracyOffset: d }));
    const doc = parse(comparison([...seeds, fixtureRun({ mode: 'full', label: 'full training' })]));
    expect(doc.querySelector('path.spread')!.getAttribute('data-seeds')).toBe('3');
    expect(doc.querySelectorAll('[data-panel="by-epoch"] path.run')).toHaveLength(2);
    expect(doc.querySelectorAll('[data-panel="by-time"] path.run')).toHaveLength(4);
    expect(texts(doc)).toContain('AST (3 seeds: mean, min–max band)');
    expect(doc.querySelector('.missing')!.textContent).toContain('random control');
    const alone = parse(comparison([fixtureRun({ mode: 'full' })]));
    expect(alone.querySelector('.missing')!.textContent).toBe(
      'Not in this figure: AST, random control (--scorer random). Pass their metrics.json with --compare.',
    );
  });
});

describe('equalBudget', () => {
  it('draws a point per run and a mean line per method, on the budgets measured', () => {
    const rows = [10, 30].flatMap((budgetSeconds) =>
      ['full', 'ast', 'random'].flatMap((method, m) =>
        [1, 2].map((seed) => ({ budgetSeconds, seed, method, valAccuracy: 0.7 + 0.01 * m + 0.001 * seed })),
      ),
    );
    const doc = parse(
      equalBudget([...rows, { budgetSeconds: 30, seed: 3, method: 'ast', valAccuracy: null }]),
    );
    expect(doc.querySelectorAll('g.runs circle')).toHaveLength(12);
    expect(doc.querySelectorAll('path.mean')).toHaveLength(3);
    // Two seeds per method and budget (AST at 30 s: the null seed does not count): a min–max bar each.
    expect(doc.querySelectorAll('g.spread line')).toHaveLength(6);
    expect(doc.querySelector('[data-panel="equal-budget"]')!.getAttribute('data-x-domain')).toBe(
      `0,${30 * 1.05}`,
    );
    expect(texts(doc)).toEqual(
      expect.arrayContaining([
        'full training (mean; dots: seeds; bar: min–max)',
        'AST (mean; dots: seeds; bar: min–max)',
        'random control (mean; dots: seeds; bar: min–max)',
      ]),
    );
  });

  it('one budget: a mean tick per method, one x tick at the budget, the runs clear of the legend', () => {
    const rows = ['full-tuned', 'ast', 'random'].flatMap((method, m) =>
      [1, 2, 3].map((seed) => ({
        budgetSeconds: 24000,
        seed,
        method,
        valAccuracy: 0.75 + 0.01 * m + 0.01 * seed,
      })),
    );
    const doc = parse(equalBudget(rows, { budgetUnit: 'samples' }));
    // A line through one point draws nothing: each mean is a tick at its method's mean.
    const ticks = [...doc.querySelectorAll('g.mean line')];
    expect(ticks).toHaveLength(3);
    const y = (el: Element, a: string) => Number(el.getAttribute(a));
    const astTick = doc.querySelector('g.mean.ast line')!;
    const astDots = [...doc.querySelectorAll('g.runs.ast circle')].map((c) => y(c, 'cy'));
    expect(y(astTick, 'y1')).toBeCloseTo(astDots.reduce((a, c) => a + c, 0) / astDots.length, 6);
    expect([...doc.querySelectorAll('.x-axis .tick text')].map((t) => t.textContent)).toEqual(['24k']);
    // The legend box (top left) ends left of every run's dot.
    const legend = doc.querySelector('g.legend rect')!;
    const right = y(legend, 'x') + y(legend, 'width');
    const dots = [...doc.querySelectorAll('g.runs circle')].map((c) => y(c, 'cx') - y(c, 'r'));
    expect(Math.min(...dots)).toBeGreaterThan(right);
    expect(texts(doc)).toContain('AST (tick: mean; dots: seeds; bar: min–max)');
  });

  it('shrinks a long title to fit the figure (rendered with the bundled font)', () => {
    const title = 'Accuracy at equal training time (fashion-mnist-subset, 6,000 training images)';
    const rows = [{ budgetSeconds: 10, seed: 1, method: 'ast', valAccuracy: 0.8 }];
    const image = new Resvg(equalBudget(rows, { title }), {
      font: { loadSystemFonts: false, fontFiles: [...FONT_FILES], defaultFontFamily: 'DejaVu Sans' },
    }).render();
    // The title's ink (rows 0–45) keeps clear of both edges. (`pixels` copies the image: read it once.)
    const { width, pixels } = image;
    let ink = 0;
    let left = width;
    let right = 0;
    for (let y = 0; y < 45; y++) {
      for (let x = 0; x < width; x++) {
        if (pixels[4 * (y * width + x)]! >= 128) continue;
        ink++;
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
    expect(ink).toBeGreaterThan(500);
    expect(left).toBeGreaterThan(10);
    expect(right).toBeLessThan(width - 10);
  });
});

describe('PNG', () => {
  it('has the asked size and is not blank', () => {
    const png = svgToPng(trainingDashboard(fixtureRun(), { width: 900, height: 520 }), { scale: 2 });
    expect(png.readUInt32BE(16)).toBe(1800);
    expect(png.readUInt32BE(20)).toBe(1040);
    const image = new Resvg(trainingDashboard(fixtureRun(), { width: 300, height: 200 }), {
      font: { loadSystemFonts: false },
    }).render();
    const pixels = image.pixels;
    let dark = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128) dark++;
    expect(dark).toBeGreaterThan(200);
  });

  it('renders text with the bundled font, and without it there would be none', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60"><rect width="200" height="60" fill="white"/>' +
      '<text x="10" y="40" font-family="DejaVu Sans" font-size="30">Sundew</text></svg>';
    const ink = (fontFiles: string[]) => {
      const { pixels } = new Resvg(svg, {
        font: { fontFiles, loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
      }).render();
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 100) n++;
      return n;
    };
    expect(ink(FONT_FILES)).toBeGreaterThan(100);
    expect(ink([])).toBe(0);
  });
});

describe('renderFigures', () => {
  it('writes the four figures in both formats', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sundew-plot-'));
    const result = await renderFigures({
      metrics: fixtureRun(),
      compare: [fixtureRun({ mode: 'full', label: 'full' })],
      outDir: dir,
    });
    expect((await readdir(dir)).sort()).toEqual([
      'architecture_diagram.png',
      'architecture_diagram.svg',
      'comparison.png',
      'comparison.svg',
      'threshold_adaptation.png',
      'threshold_adaptation.svg',
      'training_results.png',
      'training_results.svg',
    ]);
    expect(result.milliseconds['training_results']!.png).toBeGreaterThan(0);
  });
});

describe('downsampleMinMax', () => {
  it('keeps extremes and gaps', () => {
    const pts = Array.from({ length: 1000 }, (_, x) => ({
      x,
      y: x === 500 ? 99 : x >= 900 ? Number.NaN : 1,
    }));
    const out = downsampleMinMax(pts, 10);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out.some((p) => p.y === 99)).toBe(true);
    expect(out.some((p) => Number.isNaN(p.y))).toBe(true);
  });
});

describe('timeToAccuracy', () => {
  const curve = (method: string, seed: number, rate: number) => ({
    method,
    seed,
    points: [1, 2, 3, 4, 5].map((k) => ({ x: 1000 * k, accuracy: Math.min(0.9, 0.7 + rate * k) })),
  });
  const curves = [1, 2].flatMap((seed) => [
    curve('full', seed, 0.04),
    curve('ast', seed, 0.03),
    curve('random', seed, 0.01),
  ]);
  const targets = [1, 2].flatMap((seed) => [
    { seed, accuracy: 0.86, label: 'plateau 86.0 %' },
    { seed, accuracy: 0.99 * 0.86, label: '99 %' },
  ]);

  it('draws a panel per seed, a curve per run, the targets, and a ring where a run first reaches the plateau', () => {
    const doc = parse(timeToAccuracy(curves, targets));
    expect(doc.querySelectorAll('[data-panel^="seed-"]')).toHaveLength(2);
    expect(doc.querySelectorAll('path.curve')).toHaveLength(6);
    expect(doc.querySelectorAll('line.target-line')).toHaveLength(4);
    // full (0.70 + 0.04k) reaches 0.86 at k = 4, AST (0.03k) at k = 6 > 5: never, random never.
    const rings = [...doc.querySelectorAll('circle.reached')];
    expect(rings.map((r) => r.getAttribute('class'))).toEqual(['reached full', 'reached full']);
    // Drawn after (above) the target lines' labels, which may sit where a run reaches the line.
    const label = doc.querySelector('[data-panel="seed-1"] .target-0-label')!;
    const ring = doc.querySelector('[data-panel="seed-1"] circle.reached')!;
    expect(label.compareDocumentPosition(ring) & 4).toBe(4); // DOCUMENT_POSITION_FOLLOWING
    const panel = doc.querySelector('[data-panel="seed-1"]')!;
    expect(panel.getAttribute('data-y-domain')).toBe('79,91'); // 6 points under the lowest target (85.1 %), to the top accuracy (90 %) + ½
    expect(texts(doc)).toEqual(
      expect.arrayContaining([
        'plateau 86.0 %',
        'full training',
        'AST',
        'random control',
        'ring: where a run first reaches the upper line',
      ]),
    );
  });

  it('three seeds or more: panels of 560 px, so axis labels and the legend stay inside their panel', () => {
    const three = [1, 2, 3].map((seed) => curve('ast', seed, 0.03));
    const root = parse(timeToAccuracy(three, [])).querySelector('svg')!;
    expect(root.getAttribute('width')).toBe('1680');
    expect(parse(timeToAccuracy(curves, targets)).querySelector('svg')!.getAttribute('width')).toBe('1400');
  });

  it('says so when a seed has no runs to draw', () => {
    const doc = parse(timeToAccuracy([], []));
    expect(doc.querySelectorAll('path.curve')).toHaveLength(0);
  });
});
