import { describe, expect, it } from 'vitest';
import { AlwaysOnGate, createGate, GateConfigError, gateNames, TopKGate } from './index.js';
import { describeGate } from './testing/describe-gate.js';

describeGate('TopKGate', () => new TopKGate({ rate: 0.1 }), { describe, it });
describeGate('AlwaysOnGate', () => new AlwaysOnGate(), { describe, it });
for (const name of gateNames)
  describeGate(`createGate('${name}')`, () => createGate(name, { seed: 1 }), { describe, it });

describe('TopKGate', () => {
  it('trains on the highest scores', () => {
    const gate = new TopKGate({ rate: 0.25 });
    const mask = gate.decide(Float32Array.of(0.1, 0.9, 0.3, 0.8, 0.2, 0.0, 0.5, 0.4));
    expect([...mask]).toEqual([0, 1, 0, 1, 0, 0, 0, 0]);
  });

  it('holds the exact rate over batches by carrying the fraction', () => {
    const gate = new TopKGate({ rate: 0.1 });
    let active = 0;
    for (let b = 0; b < 100; b++)
      active += gate.decide(new Float32Array(37).fill(0.5)).reduce((n, m) => n + m, 0);
    expect(active).toBe(Math.floor(0.1 * 37 * 100 + 1e-9));
  });

  it('picks NaN scores last', () => {
    const mask = new TopKGate({ rate: 0.5 }).decide(Float32Array.of(Number.NaN, 0.1, Number.NaN, 0.2));
    expect([...mask]).toEqual([0, 1, 0, 1]);
  });

  it('rejects a rate outside (0, 1]', () => {
    expect(() => new TopKGate({ rate: 0 })).toThrow(/rate must be a finite number in \(0, 1\]/);
  });
});

describe('AlwaysOnGate', () => {
  it('trains on everything and saves no energy', () => {
    const gate = new AlwaysOnGate();
    expect([...gate.decide(new Float32Array(4))]).toEqual([1, 1, 1, 1]);
    expect(gate.stats().energySavedPercent).toBe(0);
  });
});

describe('createGate', () => {
  it('names the known gates when asked for an unknown one', () => {
    expect(() => createGate('sundew2')).toThrow(GateConfigError);
    expect(() => createGate('sundew2')).toThrow(/known gates: sundew, sundew-reference/);
  });
});
