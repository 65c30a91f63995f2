import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main, UsageError } from '../src/cli/main.js';
import { runForecastCommand } from '../src/cli/forecast.js';
import { binTrace, evaluateForecasts, scoringStartBin, type BinnedSeries } from '../src/sim/forecast-eval.js';
import { HoltWintersModel } from '../src/sim/forecast-holt-winters.js';
import {
  createForecastModels, FORECAST_MODEL_NAMES, LastValueModel, MovingAverageModel, SeasonalNaiveModel,
  type ForecastModel, type ModelContext,
} from '../src/sim/forecast-models.js';
import { parseTraceCsv } from '../src/sim/trace.js';

const T0 = Date.UTC(2024, 0, 1);
// The first day of the ServeGen trace (test/fixtures/README.md), so the suite runs without ../shared.
const SERVEGEN = resolve(import.meta.dirname, 'fixtures/servegen-mlarge-1day-10min.csv');

function feed(model: ForecastModel, binMinutes: number, rates: readonly number[]): number {
  rates.forEach((r, i) => model.observe(T0 + i * binMinutes * 60_000, r));
  return T0 + rates.length * binMinutes * 60_000;
}

function daily(ctx: ModelContext): SeasonalNaiveModel {
  return new SeasonalNaiveModel(ctx, 'seasonal-naive-daily', 1440, new LastValueModel(ctx), 'last-value');
}

function weekly(ctx: ModelContext): SeasonalNaiveModel {
  return new SeasonalNaiveModel(ctx, 'seasonal-naive-weekly', 7 * 1440, daily(ctx), 'seasonal-naive-daily');
}

function holtWinters(ctx: ModelContext): HoltWintersModel {
  return new HoltWintersModel(ctx, { alpha: 0.2, beta: 0.01, gamma: 0.2, seasonMinutes: 1440 }, new LastValueModel(ctx));
}

interface ModelCase {
  name: string;
  make: (ctx: ModelContext) => ForecastModel;
  binMinutes: number;
  rates: number[];
  horizonMinutes: number;
  expected: number;
  fallbacks: number;
}

// 360-min bins: 4 bins per day, 28 per week.
const MODEL_CASES: ModelCase[] = [
  { name: 'last-value: the latest rate', make: (c) => new LastValueModel(c), binMinutes: 1, rates: [1, 2, 3], horizonMinutes: 5, expected: 3, fallbacks: 0 },
  { name: 'last-value: 0 before any bin', make: (c) => new LastValueModel(c), binMinutes: 1, rates: [], horizonMinutes: 5, expected: 0, fallbacks: 0 },
  { name: 'moving-average: last 60 min of 10-min bins', make: (c) => new MovingAverageModel(c, 60), binMinutes: 10, rates: [100, 1, 2, 3, 4, 5, 6], horizonMinutes: 10, expected: 3.5, fallbacks: 0 },
  { name: 'moving-average: shorter history uses what exists', make: (c) => new MovingAverageModel(c, 60), binMinutes: 10, rates: [2, 4], horizonMinutes: 20, expected: 3, fallbacks: 0 },
  { name: 'daily: one bin, the bin a day earlier', make: daily, binMinutes: 360, rates: [1, 2, 3, 4, 5, 6], horizonMinutes: 360, expected: 3, fallbacks: 0 },
  { name: 'daily: two bins, their values a day earlier', make: daily, binMinutes: 360, rates: [1, 2, 3, 4, 5, 6], horizonMinutes: 720, expected: 3.5, fallbacks: 0 },
  { name: 'daily: window longer than a day wraps onto the last day', make: daily, binMinutes: 360, rates: [1, 2, 3, 4, 5, 6], horizonMinutes: 1800, expected: (3 + 4 + 5 + 6 + 3) / 5, fallbacks: 0 },
  { name: 'daily: under a day of history falls back to last-value', make: daily, binMinutes: 360, rates: [7, 9], horizonMinutes: 720, expected: 9, fallbacks: 1 },
  { name: 'weekly: the window 7 days earlier', make: weekly, binMinutes: 1440, rates: [1, 2, 3, 4, 5, 6, 7, 8], horizonMinutes: 2880, expected: 2.5, fallbacks: 0 },
  { name: 'weekly: under a week falls back to daily', make: weekly, binMinutes: 1440, rates: [1, 2, 3], horizonMinutes: 1440, expected: 3, fallbacks: 1 },
  { name: 'holt-winters: before one season, last-value', make: holtWinters, binMinutes: 360, rates: [10, 20, 30], horizonMinutes: 360, expected: 30, fallbacks: 1 },
  // After [10,20,30,40]: level 25, trend 0, season [-15,-5,5,15]; the next bin is slot 0.
  { name: 'holt-winters: initialised from the first season', make: holtWinters, binMinutes: 360, rates: [10, 20, 30, 40], horizonMinutes: 360, expected: 10, fallbacks: 0 },
  // y=12 in slot 0: level 0.2·27 + 0.8·25 = 25.4, trend 0.01·0.4 = 0.004; slots 1, 2 → (−5 + 5)/2.
  { name: 'holt-winters: one update, two-bin window', make: holtWinters, binMinutes: 360, rates: [10, 20, 30, 40, 12], horizonMinutes: 720, expected: 25.4 + 0.004 * 1.5, fallbacks: 0 },
  { name: 'holt-winters: clipped at 0', make: holtWinters, binMinutes: 360, rates: [0, 0, 0, 100], horizonMinutes: 360, expected: 0, fallbacks: 0 },
];

describe('forecast models', () => {
  it.each(MODEL_CASES)('$name', (c) => {
    const model = c.make({ binMinutes: c.binMinutes });
    const t = feed(model, c.binMinutes, c.rates);
    expect(model.predictMean(t, c.horizonMinutes)).toBeCloseTo(c.expected, 9);
    expect(model.fallbacks).toBe(c.fallbacks);
  });

  it('every registered model forecasts a finite, non-negative rate on a noisy series', () => {
    const models = createForecastModels({ binMinutes: 5 });
    expect(models.map((m) => m.name)).toEqual(FORECAST_MODEL_NAMES);
    expect(FORECAST_MODEL_NAMES).toEqual([
      'bountybot', 'last-value', 'moving-average', 'seasonal-naive-daily', 'seasonal-naive-weekly', 'holt-winters', 'original',
    ]);
    const rates = Array.from({ length: 600 }, (_, i) => 20 + 15 * Math.sin((i * 2 * Math.PI) / 288) + ((i * 7919) % 11));
    for (const m of models) {
      const t = feed(m, 5, rates);
      const f = m.predictMean(t, 15);
      expect(Number.isFinite(f) && f >= 0, m.name).toBe(true);
    }
  });
});

function series(binMinutes: number, counts: number[]): BinnedSeries {
  return { source: 'synthetic', originMs: T0, binMinutes, counts: Float64Array.from(counts) };
}

/** Records what it had seen whenever it is asked for a forecast. */
class SpyModel implements ForecastModel {
  readonly name = 'spy';
  readonly description = 'records calls';
  readonly fallbacks = 0;
  lastObservedEnd = -Infinity;
  calls: Array<{ tMs: number; seenEnd: number }> = [];
  constructor(private readonly binMs: number) {}
  observe(binStartMs: number): void {
    this.lastObservedEnd = binStartMs + this.binMs;
  }
  predictMean(tMs: number): number {
    this.calls.push({ tMs, seenEnd: this.lastObservedEnd });
    return 1;
  }
}

describe('scoring window', () => {
  it.each([
    { name: '25 % of a short trace', bins: 100, binMinutes: 1, expected: 25 },
    { name: '25 % rounds up to a boundary', bins: 10, binMinutes: 1, expected: 3 },
    { name: '25 % of 3 days is under 24 h', bins: 72, binMinutes: 60, expected: 18 },
    { name: '24 h once the trace exceeds 4 days', bins: 240, binMinutes: 60, expected: 24 },
    { name: '24 h of 10-min bins', bins: 2016, binMinutes: 10, expected: 144 },
  ])('starts at min(24 h, 25 %): $name', ({ bins, binMinutes, expected }) => {
    expect(scoringStartBin(bins, binMinutes)).toBe(expected);
  });

  it('scores only whole windows after the start, each forecast from data before t only', () => {
    const counts = Array.from({ length: 100 }, (_, i) => i % 7);
    const spy = new SpyModel(60_000);
    const ev = evaluateForecasts(series(1, counts), { horizonMinutes: 5, models: [spy], keepPredictionsOf: 'spy' });
    expect(ev.windows).toBe(100 - 5 - 25 + 1);
    expect(ev.firstWindowMs).toBe(T0 + 25 * 60_000);
    expect(ev.lastWindowMs).toBe(T0 + 95 * 60_000);
    expect(spy.calls).toHaveLength(ev.windows);
    for (const c of spy.calls) expect(c.seenEnd).toBe(c.tMs);
    const p = ev.predictions;
    expect(p?.tMs.length).toBe(ev.windows);
    // Window at bin 25 covers bins 25…29: counts 4,5,6,0,1 → 16 per 5 min.
    expect(p?.actual[0]).toBeCloseTo(16 / 5, 12);
  });

  it('computes WAPE, MAPE (non-zero actuals only), MASE and accuracy', () => {
    // 8 bins of 1 min; scoring from bin 2; H = 1: windows at bins 2…7.
    const counts = [5, 5, 4, 0, 2, 6, 2, 4];
    const constant: ForecastModel = { name: 'two', description: '', fallbacks: 0, observe: () => {}, predictMean: () => 2 };
    const ev = evaluateForecasts(series(1, counts), { horizonMinutes: 1, models: [constant] });
    const s = ev.scores[0];
    const actual = [4, 0, 2, 6, 2, 4];
    const abs = actual.map((a) => Math.abs(a - 2));
    expect(s?.n).toBe(6);
    expect(s?.wape).toBeCloseTo(abs.reduce((a, b) => a + b) / 18, 12);
    expect(s?.mape).toBeCloseTo((2 / 4 + 0 + 4 / 6 + 0 + 2 / 4) / 5, 12);
    const naive = (4 + 2 + 4 + 4 + 2) / 5; // |r(i) − r(i−1)| for i = 3…7
    expect(ev.maseScale).toBeCloseTo(naive, 12);
    expect(s?.mase).toBeCloseTo(abs.reduce((a, b) => a + b) / 6 / naive, 12);
    expect(s?.accuracy).toBeCloseTo(1 - (s?.wape ?? 0), 12);
  });

  it('puts a trace with holes on its grid (missing bins are 0)', () => {
    const trace = parseTraceCsv('timestamp,count\n2024-01-01T00:00:00Z,3\n2024-01-01T00:01:00Z,4\n2024-01-01T00:04:00Z,5\n2024-01-01T00:05:00Z,1\n', 'holes');
    expect(Array.from(binTrace(trace).counts)).toEqual([3, 4, 0, 0, 5, 1]);
  });
});

function csvRows(path: string): Array<{ t: string; actual: number; predicted: number }> {
  return readFileSync(path, 'utf8').trim().split('\n').slice(1).map((line) => {
    const [t, a, p] = line.split(',');
    return { t: t ?? '', actual: Number(a), predicted: Number(p) };
  });
}

/** Actual mean rate per minute over [t, t+H) straight from the trace rows. */
function actualFromTrace(text: string, tIso: string, horizonMinutes: number): number {
  const t = Date.parse(tIso);
  let sum = 0;
  for (const line of text.trim().split('\n').slice(1)) {
    const [ts, c] = line.split(',');
    const ms = Date.parse(ts ?? '');
    if (ms >= t && ms < t + horizonMinutes * 60_000) sum += Number(c);
  }
  return sum / horizonMinutes;
}

describe('bountybot forecast command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bountybot-forecast-'));
  // Five days of 5-minute bins with a daily cycle and a weekday bump: exercises every model.
  const rows = ['timestamp,count'];
  for (let i = 0; i < 5 * 288; i++) {
    const count = Math.round(30 + 20 * Math.sin((i * 2 * Math.PI) / 288) + ((i * 37) % 9));
    rows.push(`${new Date(T0 + i * 300_000).toISOString().replace('.000Z', 'Z')},${count}`);
  }
  const traceText = `${rows.join('\n')}\n`;
  const tracePath = join(dir, 'synthetic-5min.csv');
  writeFileSync(tracePath, traceText);

  it('--predictions-out rows recompute to the JSON WAPE, with actuals from the trace itself', () => {
    const out = join(dir, 'pred.csv');
    let printed = '';
    runForecastCommand({ trace: tracePath, horizonMinutes: '15', json: true, predictionsOut: out }, (t) => { printed += t; });
    const json = JSON.parse(printed) as Array<{ model: string; wape: number; n: number; accuracy: number; mape: number; mase: number }>;
    expect(json.map((r) => r.model)).toEqual(FORECAST_MODEL_NAMES);
    const ours = json.find((r) => r.model === 'bountybot');
    const csv = csvRows(out);
    expect(csv).toHaveLength(ours?.n ?? -1);
    expect(csv[0]?.t).toBe('2024-01-02T00:00:00Z');
    expect(csv[csv.length - 1]?.t).toBe('2024-01-05T23:45:00Z');
    let err = 0;
    let act = 0;
    for (const r of csv.filter((_, i) => i % 97 === 0)) expect(r.actual).toBeCloseTo(actualFromTrace(traceText, r.t, 15), 9);
    for (const r of csv) {
      err += Math.abs(r.actual - r.predicted);
      act += r.actual;
    }
    expect(err / act).toBeCloseTo(ours?.wape ?? NaN, 12);
    expect(ours?.accuracy).toBeCloseTo(1 - (ours?.wape ?? 0), 12);
  });

  it('prints a readable table without --json', () => {
    let printed = '';
    runForecastCommand({ trace: tracePath, horizonMinutes: '5' }, (t) => { printed += t; });
    for (const name of FORECAST_MODEL_NAMES) expect(printed).toMatch(new RegExp(`^${name} +\\d+\\.\\d\\d %`, 'm'));
    expect(printed).toContain('MASE scale');
  });

  it.each([
    { name: 'not a multiple of the bin width', h: '7', message: /multiple of the trace's bin width \(5 min\); got 7/ },
    { name: 'zero', h: '0', message: /--horizon-minutes must be a number > 0/ },
    { name: 'not a number', h: 'soon', message: /--horizon-minutes must be a number > 0/ },
    { name: 'longer than the scorable part', h: '6000', message: /no window to score/ },
  ])('rejects a horizon that is $name', ({ h, message }) => {
    expect(() => runForecastCommand({ trace: tracePath, horizonMinutes: h }, () => {})).toThrow(UsageError);
    expect(() => runForecastCommand({ trace: tracePath, horizonMinutes: h }, () => {})).toThrow(message);
  });

  it('exits 2 with one message for a bad horizon or a missing trace', async () => {
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => { errors.push(String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      expect(await main(['node', 'bountybot', 'forecast', '--trace', tracePath, '--horizon-minutes', '12'])).toBe(2);
      expect(await main(['node', 'bountybot', 'forecast', '--trace', join(dir, 'nope.csv'), '--horizon-minutes', '5'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toMatch(/multiple of the trace's bin width \(5 min\); got 12/);
    expect(errors.join('')).toMatch(/trace file not found/);
  });

  it.each([10, 20])('ServeGen 10-min bins at H = %i min', (h) => {
    const out = join(dir, `servegen-${h}.csv`);
    let printed = '';
    runForecastCommand({ trace: SERVEGEN, horizonMinutes: String(h), json: true, predictionsOut: out }, (t) => { printed += t; });
    const json = JSON.parse(printed) as Array<{ model: string; wape: number; n: number }>;
    const k = h / 10;
    // 144 bins; scoring starts after min(24 h, 25 %) = 36 bins (06:00).
    expect(json.every((r) => r.n === 144 - 36 - k + 1)).toBe(true);
    const csv = csvRows(out);
    expect(csv).toHaveLength(144 - 36 - k + 1);
    expect(csv[0]?.t).toBe('2024-01-01T06:00:00Z');
    expect(csv.every((r) => /T\d\d:\d0:00Z$/.test(r.t))).toBe(true);
    const err = csv.reduce((a, r) => a + Math.abs(r.actual - r.predicted), 0);
    const act = csv.reduce((a, r) => a + r.actual, 0);
    expect(err / act).toBeCloseTo(json.find((r) => r.model === 'bountybot')?.wape ?? NaN, 12);
  });

  it('ServeGen rejects H = 5 (bins are 10 min)', () => {
    expect(() => runForecastCommand({ trace: SERVEGEN, horizonMinutes: '5' }, () => {})).toThrow(/bin width \(10 min\); got 5/);
  });
});
