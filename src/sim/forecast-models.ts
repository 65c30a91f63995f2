/**
 * Forecast models compared by `bountybot forecast`. Every model sees the trace one bin at a
 * time (`observe`, consecutive bins on a regular grid) and, at a bin boundary t, forecasts the
 * mean arrival rate per minute over [t, t+H) from the bins it has seen, i.e. data before t.
 *
 * The naive baselines keep prefix sums, so a forecast costs O(1) whatever the window.
 * Where a baseline has no data for its rule yet it falls back (documented per model) and
 * counts the forecasts it made that way.
 */
import { WorkloadPredictor, type WorkloadPredictorOptions } from '../autoscaling/predictor.js';
import { HoltWintersModel, type HoltWintersParams } from './forecast-holt-winters.js';
import { OriginalWorkloadPredictor } from './original-forecaster.js';

export interface ForecastModel {
  readonly name: string;
  /** One line for the table legend and BENCHMARKS.md. */
  readonly description: string;
  /** The bin starting at `binStartMs` (epoch ms) had this mean arrival rate per minute. */
  observe(binStartMs: number, ratePerMinute: number): void;
  /** Mean arrival rate per minute over [tMs, tMs + horizonMinutes) from the bins observed so far. */
  predictMean(tMs: number, horizonMinutes: number): number;
  /** Forecasts made by a fallback rule because the model's own rule had no data yet. */
  readonly fallbacks: number;
}

export interface ModelContext {
  /** Width of one bin, minutes (may be fractional for sub-minute traces). */
  binMinutes: number;
}

/** Observed per-bin rates with prefix sums: the shared memory of the naive baselines. */
export class RateHistory {
  private readonly rates: number[] = [];
  private readonly prefix: number[] = [0];

  get length(): number {
    return this.rates.length;
  }

  push(rate: number): void {
    this.rates.push(rate);
    this.prefix.push((this.prefix[this.prefix.length - 1] ?? 0) + rate);
  }

  at(i: number): number {
    return this.rates[i] ?? 0;
  }

  /** Sum of rates of bins [from, to). */
  sum(from: number, to: number): number {
    return (this.prefix[to] ?? 0) - (this.prefix[from] ?? 0);
  }
}

/** Bins covered by `minutes` (at least 1). */
function binsIn(minutes: number, binMinutes: number): number {
  return Math.max(1, Math.round(minutes / binMinutes));
}

abstract class HistoryModel implements ForecastModel {
  abstract readonly name: string;
  abstract readonly description: string;
  protected readonly history = new RateHistory();
  fallbacks = 0;

  constructor(protected readonly ctx: ModelContext) {}

  observe(_binStartMs: number, ratePerMinute: number): void {
    this.history.push(ratePerMinute);
  }

  abstract predictMean(tMs: number, horizonMinutes: number): number;
}

/** The latest bin's rate, for the whole window (0 before any bin). */
export class LastValueModel extends HistoryModel {
  readonly name = 'last-value';
  readonly description = "the latest bin's rate";

  predictMean(): number {
    const n = this.history.length;
    return n === 0 ? 0 : this.history.at(n - 1);
  }
}

/** Mean rate of the latest `windowMinutes` (fewer bins while the history is shorter). */
export class MovingAverageModel extends HistoryModel {
  readonly name = 'moving-average';
  readonly description: string;
  private readonly windowBins: number;

  constructor(ctx: ModelContext, windowMinutes = 60) {
    super(ctx);
    this.windowBins = binsIn(windowMinutes, ctx.binMinutes);
    this.description = `mean rate of the last ${windowMinutes} min`;
  }

  predictMean(): number {
    const n = this.history.length;
    if (n === 0) return 0;
    const from = Math.max(0, n - this.windowBins);
    return this.history.sum(from, n) / (n - from);
  }
}

/**
 * Seasonal naive: each bin of the window is forecast by the bin one period earlier (for a
 * window longer than the period, by the latest observed bin of the same phase). Until one
 * period of history exists it uses `fallback`.
 */
export class SeasonalNaiveModel extends HistoryModel {
  readonly name: string;
  readonly description: string;
  private readonly periodBins: number;

  constructor(
    ctx: ModelContext, name: string, periodMinutes: number, private readonly fallback: ForecastModel,
    fallbackLabel: string,
  ) {
    super(ctx);
    this.name = name;
    this.periodBins = binsIn(periodMinutes, ctx.binMinutes);
    const period = periodMinutes % 1440 === 0 ? `${periodMinutes / 1440} d` : `${periodMinutes} min`;
    this.description = `the same window ${period} earlier (until ${period} of history exist: ${fallbackLabel})`;
  }

  override observe(binStartMs: number, ratePerMinute: number): void {
    super.observe(binStartMs, ratePerMinute);
    this.fallback.observe(binStartMs, ratePerMinute);
  }

  predictMean(tMs: number, horizonMinutes: number): number {
    const n = this.history.length;
    const p = this.periodBins;
    if (n < p) {
      this.fallbacks += 1;
      return this.fallback.predictMean(tMs, horizonMinutes);
    }
    const k = binsIn(horizonMinutes, this.ctx.binMinutes);
    // Window offsets [c·p, (c+1)·p) all map onto bins [n − p, n − p + len) of the last period.
    let sum = 0;
    for (let done = 0; done < k; done += p) {
      const len = Math.min(p, k - done);
      sum += this.history.sum(n - p, n - p + len);
    }
    return sum / k;
  }
}

/** A bin as a forecaster sample: stamped at the bin's END, rate = arrivals per minute; no fleet data. */
function binSample(endMs: number, ratePerMinute: number) {
  return { timestamp: new Date(endMs), validationsPerMinute: ratePerMinute, queueDepth: 0, avgLatencySeconds: 0, activeWorkers: 0 };
}

/** WorkloadPredictor (ours), each bin fed as a sample stamped at the bin's end. */
export class BountybotModel implements ForecastModel {
  readonly name = 'bountybot';
  readonly description = 'WorkloadPredictor (src/autoscaling/predictor.ts), forecastMeanRate(0, H): online ensemble of the seasonal model, last value and levels, weighted by measured error';
  readonly fallbacks = 0;
  private readonly predictor: WorkloadPredictor;
  private readonly binMs: number;

  constructor(ctx: ModelContext, options: WorkloadPredictorOptions = {}) {
    this.predictor = new WorkloadPredictor(options);
    this.binMs = ctx.binMinutes * 60_000;
  }

  observe(binStartMs: number, ratePerMinute: number): void {
    this.predictor.addSample(binSample(binStartMs + this.binMs, ratePerMinute));
  }

  predictMean(_tMs: number, horizonMinutes: number): number {
    return this.predictor.forecastMeanRate(0, horizonMinutes);
  }
}

/**
 * The seed's v2.9.0 predictor (original-forecaster.ts). Its predict(H) is documented as the
 * workload "for the next H minutes", so it is scored as that window's mean.
 */
export class OriginalModel implements ForecastModel {
  readonly name = 'original';
  readonly description = "the seed's v2.9.0 forecaster: 0.4·(last + slope·H) + 0.3·hour/day means + 0.3·EMA(0.3)";
  readonly fallbacks = 0;
  private readonly predictor = new OriginalWorkloadPredictor();
  private readonly binMs: number;

  constructor(ctx: ModelContext) {
    this.binMs = ctx.binMinutes * 60_000;
  }

  observe(binStartMs: number, ratePerMinute: number): void {
    this.predictor.addSample(binSample(binStartMs + this.binMs, ratePerMinute));
  }

  predictMean(tMs: number, horizonMinutes: number): number {
    return this.predictor.predict(horizonMinutes, new Date(tMs)).predictedValidationsPerMinute;
  }
}

export const HOLT_WINTERS_DEFAULTS: HoltWintersParams = { alpha: 0.2, beta: 0.01, gamma: 0.2, seasonMinutes: 1440 };

/** Builds one model for a trace's bin width. */
export type ModelFactory = (ctx: ModelContext) => ForecastModel;

/** Every model of `bountybot forecast`, in table order. */
export const FORECAST_MODELS: ReadonlyArray<readonly [string, ModelFactory]> = [
  ['bountybot', (ctx) => new BountybotModel(ctx)],
  ['last-value', (ctx) => new LastValueModel(ctx)],
  ['moving-average', (ctx) => new MovingAverageModel(ctx, 60)],
  ['seasonal-naive-daily', (ctx) => dailyNaive(ctx)],
  [
    'seasonal-naive-weekly',
    (ctx) => new SeasonalNaiveModel(ctx, 'seasonal-naive-weekly', 7 * 1440, dailyNaive(ctx), 'seasonal-naive-daily'),
  ],
  ['holt-winters', (ctx) => new HoltWintersModel(ctx, HOLT_WINTERS_DEFAULTS, new LastValueModel(ctx))],
  ['original', (ctx) => new OriginalModel(ctx)],
];

export const FORECAST_MODEL_NAMES: readonly string[] = FORECAST_MODELS.map(([name]) => name);

/** Fresh instances of the named models (all by default); throws RangeError on an unknown name. */
export function createForecastModels(ctx: ModelContext, names: readonly string[] = FORECAST_MODEL_NAMES): ForecastModel[] {
  return names.map((name) => {
    const entry = FORECAST_MODELS.find(([n]) => n === name);
    if (entry === undefined) throw new RangeError(`unknown forecast model "${name}"; known: ${FORECAST_MODEL_NAMES.join(', ')}`);
    return entry[1](ctx);
  });
}

function dailyNaive(ctx: ModelContext): SeasonalNaiveModel {
  return new SeasonalNaiveModel(ctx, 'seasonal-naive-daily', 1440, new LastValueModel(ctx), 'last-value');
}
