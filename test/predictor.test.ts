import { describe, it, expect } from 'vitest';
import { HistoryFormatError, WorkloadPredictor, type WorkloadPredictorOptions } from '../src/autoscaling/predictor.js';
import type { WorkloadSample } from '../src/autoscaling/types.js';

const MIN = 60_000;

function sample(at: number | Date, rate: number, extra: Partial<WorkloadSample> = {}): WorkloadSample {
  return {
    timestamp: at instanceof Date ? at : new Date(at),
    validationsPerMinute: rate,
    queueDepth: 10,
    avgLatencySeconds: 25,
    activeWorkers: 3,
    ...extra,
  };
}

/** Deterministic noise in [-1, 1). */
function noise(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 31 - 1;
  };
}

/** Weekday daily shape with quieter weekends and a Monday 09:00–09:30 spike, in local minutes. */
function weeklyRate(weekday: number, minuteOfDay: number): number {
  if (weekday === 0 && minuteOfDay >= 540 && minuteOfDay < 570) return 60;
  if (weekday >= 5) return 5;
  const hour = minuteOfDay / 60;
  return hour >= 8 && hour < 18 ? 10 + 4 * Math.sin(((hour - 8) / 10) * Math.PI) : 6;
}

/** Feeds minute samples from startMs to endMs inclusive; localOffsetMin maps UTC to local time. */
function feedWeekly(p: WorkloadPredictor, startMs: number, endMs: number, jitter: number, localOffset: (ms: number) => number): void {
  const rand = noise(42);
  for (let t = startMs; t <= endMs; t += MIN) {
    const local = new Date(t + localOffset(t));
    const weekday = (local.getUTCDay() + 6) % 7;
    const rate = weeklyRate(weekday, local.getUTCHours() * 60 + local.getUTCMinutes());
    p.addSample(sample(t, Math.max(0, rate * (1 + jitter * rand()))));
  }
}

describe('WorkloadPredictor: the original test suite', () => {
  it('initialises empty with the given history size', () => {
    const p = new WorkloadPredictor({ historySize: 100 });
    expect(p.historySize).toBe(100);
    expect(p.sampleCount).toBe(0);
  });

  it('adds a sample', () => {
    const p = new WorkloadPredictor();
    p.addSample(sample(Date.UTC(2024, 0, 1), 5));
    expect(p.sampleCount).toBe(1);
  });

  it('has confidence < 0.5 with one sample', () => {
    const p = new WorkloadPredictor();
    p.addSample(sample(Date.UTC(2024, 0, 1), 5));
    const prediction = p.predict(5);
    expect(prediction.confidence).toBeLessThan(0.5);
    expect(prediction.predictedValidationsPerMinute).toBeCloseTo(5, 6);
  });

  it('predicts a rising workload from 20 samples', () => {
    const p = new WorkloadPredictor();
    const base = Date.UTC(2024, 0, 1, 12);
    for (let i = 0; i < 20; i++) p.addSample(sample(base + i * MIN, 5 + i * 0.5, { queueDepth: 10 + i }));
    const prediction = p.predict(5);
    expect(prediction.predictedValidationsPerMinute).toBeGreaterThan(0);
    expect(Number.isInteger(prediction.predictedQueueDepth)).toBe(true);
    expect(prediction.predictedQueueDepth).toBeGreaterThanOrEqual(0);
    expect(prediction.confidence).toBeGreaterThanOrEqual(0);
    expect(prediction.confidence).toBeLessThanOrEqual(1);
    expect(prediction.trend).toBe('increasing');
    expect(prediction.timestamp.getTime()).toBe(base + 19 * MIN + 5 * MIN);
  });

  it('reports statistics over the kept samples', () => {
    const p = new WorkloadPredictor();
    const base = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 10; i++) p.addSample(sample(base + i * MIN, 5));
    expect(p.getStatistics()).toEqual({
      sampleCount: 10, avgValidationsPerMinute: 5, maxValidationsPerMinute: 5, avgQueueDepth: 10, maxQueueDepth: 10,
      avgLatencySeconds: 25, maxLatencySeconds: 25, timeSpanMinutes: 9,
    });
  });
});

describe('WorkloadPredictor: seasonality', () => {
  const MONDAY = Date.UTC(2024, 0, 1); // a Monday
  const cases: { name: string; jitter: number }[] = [
    { name: 'clean pattern', jitter: 0 },
    { name: 'pattern with ±20 % noise', jitter: 0.2 },
  ];
  for (const c of cases) {
    it(`sees next Monday 09:00 coming after 3 weeks (${c.name}), with historySize 1000`, () => {
      const p = new WorkloadPredictor({ historySize: 1000 });
      const at0855 = MONDAY + 3 * 7 * 1440 * MIN + (8 * 60 + 55) * MIN;
      feedWeekly(p, MONDAY, at0855, c.jitter, () => 0);
      expect(p.sampleCount).toBe(1000);
      const prediction = p.predict(5);
      expect(prediction.timestamp.toISOString()).toBe('2024-01-22T09:00:00.000Z');
      expect(prediction.predictedValidationsPerMinute).toBeGreaterThanOrEqual(0.8 * 60);
      expect(prediction.predictedValidationsPerMinute).toBeLessThan(75);
      // ... and not on Tuesday at the same hour.
      const tuesday = new WorkloadPredictor();
      feedWeekly(tuesday, MONDAY, at0855 + 1440 * MIN, c.jitter, () => 0);
      expect(tuesday.predict(5).predictedValidationsPerMinute).toBeLessThan(20);
    });
  }

  it('learns the profile in the configured time zone (Europe/Paris, across a DST change)', () => {
    // Three weeks of Paris winter time, then Monday 1 April 2024 (summer time, UTC+2).
    const start = Date.UTC(2024, 2, 10, 23); // Monday 11 March 00:00 Paris
    const paris = (ms: number): number => (ms >= Date.UTC(2024, 2, 31, 1) ? 2 : 1) * 60 * MIN;
    const at0855Paris = Date.UTC(2024, 3, 1, 6, 55);
    const local = new WorkloadPredictor({ timezone: 'Europe/Paris' });
    const utc = new WorkloadPredictor();
    feedWeekly(local, start, at0855Paris, 0.1, paris);
    feedWeekly(utc, start, at0855Paris, 0.1, paris);
    expect(local.predict(5).predictedValidationsPerMinute).toBeGreaterThanOrEqual(48);
    // A UTC calendar learned the spike at 08:00 UTC (winter) and misses it at 07:00 UTC.
    expect(utc.predict(5).predictedValidationsPerMinute).toBeLessThan(30);
  });

  it('rejects an unknown time zone naming the option', () => {
    expect(() => new WorkloadPredictor({ timezone: 'Mars/Olympus' })).toThrow(/timezone.*Mars\/Olympus/);
  });
});

describe('WorkloadPredictor: robustness', () => {
  const base = Date.UTC(2024, 0, 3, 10);

  it('treats numeric garbage as missing and never poisons its state', () => {
    const p = new WorkloadPredictor();
    for (let i = 0; i < 30; i++) p.addSample(sample(base + i * MIN, 20));
    const garbage: unknown[] = [
      sample(base + 30 * MIN, Number.NaN), sample(base + 31 * MIN, Number.POSITIVE_INFINITY),
      sample(base + 32 * MIN, -5), sample(base + 33 * MIN, 1e300),
      sample(base + 34 * MIN, 20, { queueDepth: Number.NaN, avgLatencySeconds: -1, activeWorkers: Number.NEGATIVE_INFINITY }),
      sample(new Date(Number.NaN), 20), { timestamp: 'yesterday', validationsPerMinute: 20 }, { validationsPerMinute: 20 }, null, undefined,
    ];
    expect(() => { for (const g of garbage) p.addSample(g as WorkloadSample); }).not.toThrow();
    for (let i = 35; i < 40; i++) p.addSample(sample(base + i * MIN, 20));
    const prediction = p.predict(5);
    expect(prediction.predictedValidationsPerMinute).toBeGreaterThan(18);
    expect(prediction.predictedValidationsPerMinute).toBeLessThan(22);
    expect(prediction.confidence).toBeGreaterThanOrEqual(0);
    expect(prediction.confidence).toBeLessThanOrEqual(1);
    expect(Number.isFinite(prediction.predictedQueueDepth)).toBe(true);
    const stats = p.getStatistics();
    for (const value of Object.values(stats)) expect(Number.isFinite(value)).toBe(true);
    expect(stats.maxValidationsPerMinute).toBe(20);
    expect(() => JSON.parse(p.exportHistory())).not.toThrow();
  });

  it('survives 15 samples with the same timestamp', () => {
    const p = new WorkloadPredictor();
    for (let i = 0; i < 15; i++) p.addSample(sample(base, 5 + i));
    const prediction = p.predict(5);
    expect(p.sampleCount).toBe(15);
    expect(Number.isFinite(prediction.predictedValidationsPerMinute)).toBe(true);
    expect(prediction.predictedValidationsPerMinute).toBeGreaterThan(5);
    expect(prediction.confidence).toBeGreaterThanOrEqual(0);
    expect(prediction.timestamp.getTime()).toBe(base + 5 * MIN);
  });

  it('ignores samples older than the latest one', () => {
    const p = new WorkloadPredictor();
    for (let i = 0; i < 10; i++) p.addSample(sample(base + i * MIN, 10));
    p.addSample(sample(base - 60 * MIN, 1000));
    expect(p.sampleCount).toBe(10);
    expect(p.predict(5).predictedValidationsPerMinute).toBeCloseTo(10, 6);
  });

  it('does not smear one value over the slots of a long gap', () => {
    const day0 = Date.UTC(2024, 0, 1);
    const p = new WorkloadPredictor();
    for (let t = day0; t < day0 + 1440 * MIN; t += MIN) p.addSample(sample(t, 10));
    // Six silent hours, then one sample reporting 100/min, then back to 10/min.
    const resume = day0 + (1440 + 360) * MIN;
    p.addSample(sample(resume, 100));
    for (let t = resume + MIN; t < day0 + 2 * 1440 * MIN; t += MIN) p.addSample(sample(t, 10));
    // Tomorrow 02:00–05:00 (inside the gap) is still expected at ~10/min.
    const latest = day0 + 2 * 1440 * MIN - MIN;
    const toMinutes = (ms: number): number => (ms - latest) / MIN;
    const tomorrow2am = day0 + (2 * 1440 + 120) * MIN;
    expect(p.forecastMeanRate(toMinutes(tomorrow2am), toMinutes(tomorrow2am) + 180)).toBeCloseTo(10, 0);
  });

  it('accepts irregular sampling intervals', () => {
    const p = new WorkloadPredictor();
    const rand = noise(7);
    let t = base;
    for (let i = 0; i < 300; i++) {
      t += Math.round((0.2 + 3 * (rand() + 1)) * MIN);
      p.addSample(sample(t, 30));
    }
    expect(p.predict(5).predictedValidationsPerMinute).toBeCloseTo(30, 6);
    expect(p.predict(5).confidence).toBeGreaterThan(0.8);
  });
});

describe('WorkloadPredictor: horizons and queue', () => {
  const base = Date.UTC(2024, 0, 3, 10);

  it('accepts fractional horizons', () => {
    const p = new WorkloadPredictor();
    for (let i = 0; i < 10; i++) p.addSample(sample(base + i * MIN, 8));
    const prediction = p.predict(1.25);
    expect(prediction.timeHorizonMinutes).toBe(1.25);
    expect(prediction.timestamp.getTime()).toBe(base + 9 * MIN + 75_000);
    expect(prediction.predictedValidationsPerMinute).toBeCloseTo(8, 6);
  });

  const badHorizons: { name: string; value: number }[] = [
    { name: 'negative', value: -1 }, { name: 'NaN', value: Number.NaN }, { name: 'infinite', value: Number.POSITIVE_INFINITY },
    { name: 'absurdly long', value: 1e12 },
  ];
  for (const c of badHorizons) {
    it(`throws a RangeError naming timeHorizonMinutes for a ${c.name} horizon`, () => {
      const p = new WorkloadPredictor();
      expect(() => p.predict(c.value)).toThrow(RangeError);
      expect(() => p.predict(c.value)).toThrow(new RegExp(`timeHorizonMinutes.*${String(c.value)}`));
    });
  }

  it('forecasts the mean rate over long windows without walking every slot', () => {
    const p = new WorkloadPredictor({ timezone: 'Europe/Paris' });
    for (let i = 0; i < 2 * 1440; i++) p.addSample(sample(base + i * MIN, 12));
    expect(p.forecastMeanRate(0, 5)).toBeCloseTo(12, 6);
    expect(p.forecastMeanRate(60, 60 + 10 * 7 * 1440)).toBeCloseTo(12, 6);
    expect(() => p.forecastMeanRate(5, 1)).toThrow(/toMinutes/);
  });

  it('uses the injected clock only before the first sample', () => {
    const now = new Date('2024-05-01T12:00:00Z');
    const p = new WorkloadPredictor({ clock: () => now });
    const empty = p.predict(5);
    expect(empty).toMatchObject({ predictedValidationsPerMinute: 0, predictedQueueDepth: 0, confidence: 0, trend: 'stable' });
    expect(empty.timestamp.toISOString()).toBe('2024-05-01T12:05:00.000Z');
    p.addSample(sample(Date.UTC(2020, 0, 1), 3));
    expect(p.predict(5).timestamp.toISOString()).toBe('2020-01-01T00:05:00.000Z');
  });

  const queueCases: { name: string; workers: number; latency: number; queue: number; expected: number }[] = [
    // capacity = workers × 60 / latency per minute; queue + (rate − capacity) × 5
    { name: 'fleet too small: queue grows', workers: 2, latency: 30, queue: 10, expected: 10 + (10 - 4) * 5 },
    { name: 'fleet large enough: queue drains to 0', workers: 6, latency: 12, queue: 10, expected: 0 },
    { name: 'capacity equals demand: queue holds', workers: 5, latency: 30, queue: 7, expected: 7 },
  ];
  for (const c of queueCases) {
    it(`predicts queue depth: ${c.name}`, () => {
      const p = new WorkloadPredictor();
      for (let i = 0; i < 30; i++) {
        p.addSample(sample(base + i * MIN, 10, { queueDepth: c.queue, activeWorkers: c.workers, avgLatencySeconds: c.latency }));
      }
      expect(p.predict(5).predictedQueueDepth).toBe(c.expected);
    });
  }

  const trendCases: { name: string; rate: (i: number) => number; trend: string }[] = [
    { name: 'rising', rate: (i) => 10 + i, trend: 'increasing' },
    { name: 'falling', rate: (i) => 60 - i, trend: 'decreasing' },
    { name: 'flat', rate: () => 20, trend: 'stable' },
  ];
  for (const c of trendCases) {
    it(`reports a ${c.name} workload as ${c.trend}`, () => {
      const p = new WorkloadPredictor();
      for (let i = 0; i < 40; i++) p.addSample(sample(base + i * MIN, c.rate(i)));
      expect(p.predict(5).trend).toBe(c.trend);
    });
  }
});

describe('WorkloadPredictor: confidence from measured error', () => {
  it('rises as forecasts prove right and falls after a regime change', () => {
    const p = new WorkloadPredictor();
    const base = Date.UTC(2024, 0, 3, 10);
    const rand = noise(3);
    let i = 0;
    const feed = (minutes: number, rate: () => number): void => {
      for (const end = i + minutes; i < end; i++) p.addSample(sample(base + i * MIN, rate()));
    };
    feed(3, () => 20 * (1 + 0.05 * rand()));
    const early = p.predict(5).confidence;
    feed(120, () => 20 * (1 + 0.05 * rand()));
    const settled = p.predict(5).confidence;
    expect(early).toBeLessThan(0.5);
    expect(settled).toBeGreaterThan(0.85);
    // The workload turns erratic: confidence must drop.
    feed(30, () => (rand() > 0 ? 80 : 2));
    const erratic = p.predict(5).confidence;
    expect(erratic).toBeLessThan(settled - 0.2);
    // Calm again: confidence recovers.
    feed(120, () => 20 * (1 + 0.05 * rand()));
    expect(p.predict(5).confidence).toBeGreaterThan(Math.max(0.9, erratic + 0.2));
  });
});

describe('WorkloadPredictor: export and import', () => {
  const options: WorkloadPredictorOptions = { historySize: 300, timezone: 'Europe/Paris' };

  function trained(): WorkloadPredictor {
    const p = new WorkloadPredictor(options);
    const rand = noise(11);
    const start = Date.UTC(2024, 0, 1);
    for (let i = 0; i < 3 * 1440; i++) {
      const hour = (i / 60) % 24;
      p.addSample(sample(start + i * MIN, 20 + 15 * Math.sin((hour / 24) * 2 * Math.PI) + 3 * rand(), { queueDepth: i % 17 }));
    }
    return p;
  }

  it('restores the whole state: the copy predicts exactly what the original does, now and later', () => {
    const original = trained();
    const copy = WorkloadPredictor.importHistory(original.exportHistory());
    const compare = (): void => {
      for (const h of [0, 1, 1.25, 5, 30, 600]) expect(copy.predict(h)).toEqual(original.predict(h));
      expect(copy.forecastMeanRate(0, 5)).toBe(original.forecastMeanRate(0, 5));
      expect(copy.getStatistics()).toEqual(original.getStatistics());
      expect(copy.sampleCount).toBe(original.sampleCount);
    };
    compare();
    const rand = noise(5);
    const last = Date.UTC(2024, 0, 1) + (3 * 1440 - 1) * MIN;
    for (let i = 1; i <= 500; i++) {
      const s = sample(last + i * MIN + (i % 7) * 1000, 25 + 5 * rand());
      original.addSample(s);
      copy.addSample(s);
    }
    compare();
    expect(copy.exportHistory()).toBe(original.exportHistory());
  });

  it('writes a versioned document', () => {
    const doc = JSON.parse(trained().exportHistory()) as { version: number; samples: unknown[]; timezone: string };
    expect(doc.version).toBe(3);
    expect(doc.samples).toHaveLength(300);
    expect(doc.timezone).toBe('Europe/Paris');
  });

  it('still reads a version-1 document (written before slots remembered when they were observed)', () => {
    const original = trained();
    const doc = JSON.parse(original.exportHistory()) as { version: number; model: Record<string, unknown> };
    doc.version = 1;
    for (const key of ['fast', 'fastVariance', 'recentDiffs', 'lastResidual']) delete doc.model[key];
    for (const profile of [doc.model.week, doc.model.day] as Record<string, unknown>[]) {
      for (const key of ['prevValue', 'prevWeight', 'prevVariance', 'lastStartMs']) delete profile[key];
    }
    const copy = WorkloadPredictor.importHistory(JSON.stringify(doc));
    expect(copy.sampleCount).toBe(original.sampleCount);
    const expected = original.forecastMeanRate(0, 60);
    expect(copy.forecastMeanRate(0, 60)).toBeGreaterThan(0.8 * expected);
    expect(copy.forecastMeanRate(0, 60)).toBeLessThan(1.2 * expected);
    expect((JSON.parse(copy.exportHistory()) as { version: number }).version).toBe(3);
  });

  it('reads a version-2 document (before the ensemble): the seasonal model forecasts alone, then the ensemble learns', () => {
    const original = trained();
    const doc = JSON.parse(original.exportHistory()) as Record<string, unknown>;
    doc.version = 2;
    delete doc.ensemble;
    const copy = WorkloadPredictor.importHistory(JSON.stringify(doc));
    expect(copy.forecastWeights(5).seasonal).toBe(1);
    expect(copy.forecastMeanRate(0, 5)).toBeGreaterThan(0);
    const rand = noise(8);
    const last = Date.UTC(2024, 0, 1) + (3 * 1440 - 1) * MIN;
    for (let i = 1; i <= 120; i++) copy.addSample(sample(last + i * MIN, 25 + 5 * rand()));
    expect(copy.forecastWeights(5).seasonal).toBeLessThan(1);
    expect((JSON.parse(copy.exportHistory()) as { version: number }).version).toBe(3);
  });

  const corrupt: { name: string; edit: (doc: Record<string, unknown>) => unknown; field: RegExp }[] = [
    { name: 'not JSON', edit: () => '{oops', field: /not valid JSON/ },
    { name: 'wrong version', edit: (d) => ({ ...d, version: 4 }), field: /"version"/ },
    { name: 'truncated weekly profile', edit: (d) => {
      const model = d.model as { week: { value: number[] } };
      model.week.value = model.week.value.slice(0, 10);
      return d;
    }, field: /"model\.week\.value"/ },
    { name: 'a daily profile without observation times', edit: (d) => {
      delete (d.model as { day: Record<string, unknown> }).day.lastStartMs;
      return d;
    }, field: /"model\.day\.lastStartMs"/ },
    { name: 'negative sample field', edit: (d) => {
      (d.samples as unknown[][])[3] = [0, -1, 0, 0, 0, null, null];
      return d;
    }, field: /"samples\[3\]\.rate"/ },
    { name: 'bad history size', edit: (d) => ({ ...d, historySize: 0 }), field: /"historySize"/ },
    { name: 'a version-3 document without the ensemble', edit: (d) => ({ ...d, ensemble: undefined }), field: /"ensemble"/ },
    { name: 'a member error list of the wrong length', edit: (d) => {
      const buckets = (d.ensemble as { buckets: { error: number[] }[] }).buckets;
      if (buckets[1] !== undefined) buckets[1].error = buckets[1].error.slice(1);
      return d;
    }, field: /"ensemble\.buckets\[1\]\.error"/ },
    { name: 'a negative minute rate in the ensemble history', edit: (d) => {
      (d.ensemble as { history: { means: (number | null)[] } }).history.means[0] = -1;
      return d;
    }, field: /"ensemble\.history\.means\[0\]"/ },
    { name: 'pending forecasts not matching their windows', edit: (d) => {
      const buckets = (d.ensemble as { buckets: { pendingForecasts: unknown[] }[] }).buckets;
      if (buckets[0] !== undefined) buckets[0].pendingForecasts = [];
      return d;
    }, field: /"ensemble\.buckets\[0\]\.pendingForecasts"/ },
  ];
  for (const c of corrupt) {
    it(`rejects a document with ${c.name}, naming the field`, () => {
      const doc = JSON.parse(trained().exportHistory()) as Record<string, unknown>;
      const edited = c.edit(doc);
      const json = typeof edited === 'string' ? edited : JSON.stringify(edited);
      expect(() => WorkloadPredictor.importHistory(json)).toThrow(HistoryFormatError);
      expect(() => WorkloadPredictor.importHistory(json)).toThrow(c.field);
    });
  }

  it('keeps memory bounded: the state does not grow with the number of samples', () => {
    const p = new WorkloadPredictor({ historySize: 100 });
    const rand = noise(9);
    const start = Date.UTC(2024, 0, 1);
    const sizes: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      p.addSample(sample(start + i * MIN, 30 + 10 * rand()));
      // By 40k minutes (four weeks) every weekly slot has been observed twice (value and previous value).
      if (i === 40_000 || i === 99_999) sizes.push(p.exportHistory().length);
    }
    const [at40k, at100k] = sizes as [number, number];
    expect(p.sampleCount).toBe(100);
    expect(at100k).toBeLessThan(at40k * 1.1);
  });
});

describe('WorkloadPredictor: bursts and spikes', () => {
  const at15s = (p: WorkloadPredictor, t: number, rate: number): void => {
    p.addSample(sample(t, rate, { queueDepth: 0, avgLatencySeconds: 2, activeWorkers: 3 }));
  };

  it('forgets a burst that stopped: the forecast falls monotonically toward 0 and the predicted queue stays empty', () => {
    // Controller ticks every 15 s: 2 min at 5/min, 2 min at 360/min, then only zeros.
    // Capacity is 3 workers × 60 / 2 s = 90/min, far above the zero arrivals.
    const p = new WorkloadPredictor();
    let t = Date.UTC(2025, 0, 6, 10);
    for (let i = 0; i < 8; i++) at15s(p, (t += 15_000), 5);
    for (let i = 0; i < 8; i++) at15s(p, (t += 15_000), 360);
    let previousNear = Infinity;
    let previousAhead = Infinity;
    for (let k = 1; k <= 16; k++) {
      at15s(p, (t += 15_000), 0);
      const near = p.forecastMeanRate(0, 1);
      const prediction = p.predict(5);
      expect(near).toBeLessThanOrEqual(previousNear + 1e-9);
      expect(prediction.predictedValidationsPerMinute).toBeLessThanOrEqual(previousAhead + 1e-9);
      previousNear = near;
      previousAhead = prediction.predictedValidationsPerMinute;
      if (k >= 4) {
        // One minute of zeros: well below the burst, and no phantom backlog.
        expect(near).toBeLessThan(0.2 * 360);
        expect(prediction.predictedQueueDepth).toBeLessThanOrEqual(5);
      }
    }
    // Four minutes of zeros: close to 0, now and an hour ahead.
    expect(p.forecastMeanRate(0, 1)).toBeLessThan(0.05 * 360);
    expect(p.predict(5).predictedValidationsPerMinute).toBeLessThan(0.05 * 360);
    expect(p.forecastMeanRate(55, 60)).toBeLessThan(0.05 * 360);
  });

  const DAY0 = Date.UTC(2024, 0, 2); // a Tuesday
  const SPIKE_RATE = 100;

  /** Minute samples of ~10/min (±20 %) from DAY0 to `untilMs`, at SPIKE_RATE on `spikeDays` from 10:00 to 10:10. */
  function withSpikes(spikeDays: number[], untilMs: number, shape: (minuteOfDay: number) => number = () => 10): WorkloadPredictor {
    const p = new WorkloadPredictor();
    const rand = noise(1);
    for (let t = DAY0; t <= untilMs; t += MIN) {
      const day = Math.floor((t - DAY0) / (1440 * MIN));
      const minute = ((t - DAY0) / MIN) % 1440;
      const spike = spikeDays.includes(day) && minute > 600 && minute <= 610;
      const jitter = 1 + 0.2 * rand();
      p.addSample(sample(t, spike ? SPIKE_RATE : shape(minute) * jitter));
    }
    return p;
  }

  const repeatCases: { name: string; spikeDays: number[]; day: number; check: (excess: number) => void }[] = [
    { name: 'a one-off spike on day 1 barely moves day 2', spikeDays: [0], day: 1, check: (excess) => expect(excess).toBeLessThan(0.1 * SPIKE_RATE) },
    { name: 'a spike seen on three days is expected on the fourth', spikeDays: [0, 1, 2], day: 3, check: (excess) => expect(excess).toBeGreaterThan(0.6 * SPIKE_RATE) },
  ];
  for (const c of repeatCases) {
    it(`${c.name} at the same time`, () => {
      const at0955 = DAY0 + c.day * 1440 * MIN + 595 * MIN;
      const spiked = withSpikes(c.spikeDays, at0955);
      const control = withSpikes([], at0955);
      c.check(spiked.predict(5).predictedValidationsPerMinute - control.predict(5).predictedValidationsPerMinute);
      c.check(spiked.forecastMeanRate(5, 15) - control.forecastMeanRate(5, 15));
    });
  }

  it('never lets a spike seen today raise the forecasts for the next hours of the same day', () => {
    // Two ordinary days with a daily shape, then a 10-minute spike at 10:00 on day 3.
    const shape = (minute: number): number => 10 + 4 * Math.sin((minute / 1440) * 2 * Math.PI);
    const at1030 = DAY0 + 2 * 1440 * MIN + 630 * MIN;
    const spiked = withSpikes([2], at1030, shape);
    const control = withSpikes([], at1030, shape);
    for (let h = 0; h < 240; h += 5) {
      const excess = spiked.forecastMeanRate(h, h + 5) - control.forecastMeanRate(h, h + 5);
      expect(Math.abs(excess), `window ${h}–${h + 5} min ahead`).toBeLessThan(0.02 * SPIKE_RATE);
    }
  });
});
