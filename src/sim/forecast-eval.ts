/**
 * Walk-forward forecast evaluation. The trace is put on a regular grid of its bin width
 * (holes = 0 arrivals). At every bin boundary t each model forecasts the mean arrival rate per
 * minute over [t, t+H) having observed only the bins before t; afterwards it observes the bin
 * starting at t. Scored windows: t ≥ start + min(24 h, 25 % of the trace) and t + H ≤ end.
 *
 * Metrics over the n scored windows (a = actual mean rate, f = forecast):
 * - WAPE = Σ|a − f| / Σa; accuracy = 1 − WAPE;
 * - MAPE = mean of |a − f| / a over the windows with a > 0;
 * - MASE = mean|a − f| ÷ the in-sample one-step naive MAE of the scored part, i.e. the mean of
 *   |r(i) − r(i−1)| over consecutive bins i of the scored part [first window start, trace end).
 * A metric whose denominator is 0 is null.
 */
import type { ForecastModel } from './forecast-models.js';
import { UsageError } from '../autoscaling/errors.js';
import type { Trace } from './trace.js';

/** Bad evaluation settings (horizon, a trace too short); the CLI turns it into exit code 2. */
export class ForecastSetupError extends UsageError {
  constructor(message: string) {
    super(message, { code: 'FORECAST_SETUP_INVALID' });
  }
}

/** A trace on a regular grid. */
export interface BinnedSeries {
  source: string;
  /** Epoch ms of bin 0's start. */
  originMs: number;
  binMinutes: number;
  /** Arrivals per grid bin. */
  counts: Float64Array;
}

/**
 * Puts the trace on its detected bin grid: each row's arrivals go to the grid bin containing
 * its start (rows closer together than the bin width are merged; a hole stays 0).
 */
export function binTrace(trace: Trace): BinnedSeries {
  const binMs = trace.binSeconds * 1000;
  const n = Math.max(1, Math.ceil(trace.endMs / binMs - 1e-9));
  const counts = new Float64Array(n);
  for (let i = 0; i < trace.counts.length; i++) {
    const idx = Math.min(n - 1, Math.floor((trace.binStartMs[i] ?? 0) / binMs + 1e-9));
    counts[idx] = (counts[idx] ?? 0) + (trace.counts[i] ?? 0);
  }
  return { source: trace.source, originMs: trace.startMs, binMinutes: trace.binSeconds / 60, counts };
}

export function formatMinutes(minutes: number): string {
  return Number.isInteger(minutes) ? `${minutes}` : minutes.toFixed(3).replace(/0+$/, '');
}

/** Bins per horizon; throws ForecastSetupError unless H is a positive multiple of the bin width. */
export function horizonBins(horizonMinutes: number, binMinutes: number): number {
  if (!Number.isFinite(horizonMinutes) || horizonMinutes <= 0) {
    throw new ForecastSetupError(`--horizon-minutes must be a number > 0; got ${String(horizonMinutes)}`);
  }
  const k = horizonMinutes / binMinutes;
  const rounded = Math.round(k);
  if (rounded < 1 || Math.abs(k - rounded) > 1e-9 * Math.max(1, k)) {
    throw new ForecastSetupError(
      `--horizon-minutes must be a multiple of the trace's bin width (${formatMinutes(binMinutes)} min); got ${formatMinutes(horizonMinutes)}`,
    );
  }
  return rounded;
}

/** First scored boundary (bin index): the first at or after min(24 h, 25 % of the trace). */
export function scoringStartBin(bins: number, binMinutes: number): number {
  const startMinutes = Math.min(1440, 0.25 * bins * binMinutes);
  return Math.ceil(startMinutes / binMinutes - 1e-9);
}

export interface ForecastScore {
  model: string;
  wape: number | null;
  mape: number | null;
  mase: number | null;
  accuracy: number | null;
  /** Scored windows. */
  n: number;
  /** Scored forecasts made by the model's fallback rule (it lacked the history its rule needs). */
  fallbacks: number;
}

/** Parallel arrays of one model's scored windows. */
export interface ForecastPredictions {
  model: string;
  /** Window start t, epoch ms. */
  tMs: Float64Array;
  /** Actual mean rate per minute over [t, t+H). */
  actual: Float64Array;
  predicted: Float64Array;
}

export interface ForecastEvaluation {
  source: string;
  binMinutes: number;
  bins: number;
  horizonMinutes: number;
  horizonBins: number;
  /** Epoch ms of the first and last scored window start. */
  firstWindowMs: number;
  lastWindowMs: number;
  windows: number;
  /** The MASE denominator (per-minute rate units). */
  maseScale: number;
  scores: ForecastScore[];
  predictions?: ForecastPredictions;
  wallMs: number;
}

export interface EvaluateOptions {
  horizonMinutes: number;
  models: ForecastModel[];
  /** Keep every scored forecast of this model (for --predictions-out). */
  keepPredictionsOf?: string;
}

export function evaluateForecasts(series: BinnedSeries, opts: EvaluateOptions): ForecastEvaluation {
  const started = performance.now();
  const { binMinutes, counts, originMs } = series;
  const binMs = binMinutes * 60_000;
  const n = counts.length;
  const k = horizonBins(opts.horizonMinutes, binMinutes);
  const j0 = scoringStartBin(n, binMinutes);
  const windows = Math.max(0, n - k - j0 + 1);
  if (windows === 0) {
    throw new ForecastSetupError(
      `${series.source}: no window to score: the trace has ${n} bins of ${formatMinutes(binMinutes)} min, scoring starts at bin ${j0} ` +
        `(min(24 h, 25 % of the trace)) and each window needs ${k} bins (--horizon-minutes ${formatMinutes(opts.horizonMinutes)})`,
    );
  }
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] ?? 0) + (counts[i] ?? 0);

  const models = opts.models;
  const absErr = new Float64Array(models.length);
  const pctErr = new Float64Array(models.length);
  const fallbacksBefore = models.map((m) => m.fallbacks);
  const keep = opts.keepPredictionsOf === undefined ? -1 : models.findIndex((m) => m.name === opts.keepPredictionsOf);
  const kept: ForecastPredictions | undefined = keep < 0 ? undefined : {
    model: opts.keepPredictionsOf ?? '',
    tMs: new Float64Array(windows), actual: new Float64Array(windows), predicted: new Float64Array(windows),
  };
  let actualSum = 0;
  let nonZero = 0;
  let w = 0;
  for (let j = 0; j <= n; j++) {
    if (j >= j0 && j + k <= n) {
      const tMs = originMs + j * binMs;
      const actual = ((prefix[j + k] ?? 0) - (prefix[j] ?? 0)) / opts.horizonMinutes;
      actualSum += actual;
      if (actual > 0) nonZero += 1;
      for (let m = 0; m < models.length; m++) {
        const f = models[m]?.predictMean(tMs, opts.horizonMinutes) ?? 0;
        const err = Math.abs(actual - f);
        absErr[m] = (absErr[m] ?? 0) + err;
        if (actual > 0) pctErr[m] = (pctErr[m] ?? 0) + err / actual;
        if (m === keep && kept !== undefined) {
          kept.tMs[w] = tMs;
          kept.actual[w] = actual;
          kept.predicted[w] = f;
        }
      }
      w += 1;
    }
    if (j < n) {
      const rate = (counts[j] ?? 0) / binMinutes;
      for (const model of models) model.observe(originMs + j * binMs, rate);
    }
  }

  let naiveSum = 0;
  for (let i = j0 + 1; i < n; i++) naiveSum += Math.abs((counts[i] ?? 0) - (counts[i - 1] ?? 0)) / binMinutes;
  const maseScale = n - j0 - 1 > 0 ? naiveSum / (n - j0 - 1) : 0;

  const scores = models.map((model, m): ForecastScore => {
    const wape = actualSum > 0 ? (absErr[m] ?? 0) / actualSum : null;
    return {
      model: model.name,
      wape,
      mape: nonZero > 0 ? (pctErr[m] ?? 0) / nonZero : null,
      mase: maseScale > 0 ? (absErr[m] ?? 0) / windows / maseScale : null,
      accuracy: wape === null ? null : 1 - wape,
      n: windows,
      fallbacks: model.fallbacks - (fallbacksBefore[m] ?? 0),
    };
  });
  return {
    source: series.source, binMinutes, bins: n, horizonMinutes: opts.horizonMinutes, horizonBins: k,
    firstWindowMs: originMs + j0 * binMs, lastWindowMs: originMs + (j0 + windows - 1) * binMs, windows, maseScale,
    scores, ...(kept !== undefined ? { predictions: kept } : {}), wallMs: performance.now() - started,
  };
}
