/**
 * WorkloadPredictor: forecasts the validation rate from its own samples (never the wall clock).
 * The forecast is an online ensemble (forecast-ensemble.ts) of simple forecasters weighted by
 * their measured recent error; one of them is the seasonal model (seasonal-model.ts), a 5-minute
 * weekly/daily seasonal profile plus a residual level. Confidence comes from the predictor
 * scoring its own past forecasts (forecast-error-tracker.ts).
 */
import { ForecastEnsemble } from './forecast-ensemble.js';
import { MEMBER_NAMES, type MemberName } from './forecast-members.js';
import { ensembleJson, parseEnsembleState } from './forecast-ensemble-history.js';
import { ForecastErrorTracker, type ErrorTrackerKnobs } from './forecast-error-tracker.js';
import { LocalSlots } from './local-slots.js';
import {
  HistoryFormatError, parseSnapshot, serializeSnapshot, type KeptSample, type LastReadings,
} from './predictor-history.js';
import { DEFAULT_MODEL_KNOBS, SeasonalModel, type SeasonalModelKnobs } from './seasonal-model.js';
import { JUMP_CONFIRMATIONS, PREDICTOR_TIMESTAMP_TOLERANCE_MS, TimestampGuard } from './timestamps.js';
import { systemClock, type Clock, type Trend, type WorkloadPrediction, type WorkloadSample, type WorkloadStatistics } from './types.js';

export { HistoryFormatError };

export interface WorkloadPredictorOptions {
  /** Samples kept for getStatistics() and the export (default 1000). The seasonal memory does not depend on it. */
  historySize?: number;
  /** Used only for the timestamp of a prediction made before any sample (default: system clock). */
  clock?: Clock;
  /** IANA time zone of the weekly/daily profile (default 'UTC'): "Monday 09:00" is local time there. */
  timezone?: string;
  /** Weeks a weekly 5-minute slot remembers; older weeks fade exponentially (default 4). */
  weeklyMemoryWeeks?: number;
  /** Days a daily 5-minute slot remembers (default 14). */
  dailyMemoryDays?: number;
  /** Observations' worth of pooled (all-slot) variance mixed into each slot's own variance (default 3). */
  variancePrior?: number;
  /** Half-width, in 5-minute slots, of the neighbourhood a profile slot is smoothed toward unless it stands out (default 12). */
  smoothingSlots?: number;
  /** A seasonal layer (daily vs long-run mean, weekly vs daily) counts only beyond this many noise variances (default 1). */
  significance?: number;
  /** A slot's own deviation from its neighbourhood (a sharp spike) counts only beyond this many noise variances (default 9). */
  detailSignificance?: number;
  /** Time constant, minutes, of the level: how far the rate runs above/below its profile now (default 8). */
  levelMinutes?: number;
  /** Time constant, minutes, of the drift: the part of that level which persists over any horizon (default 360). */
  driftMinutes?: number;
  /** Minutes over which the level fades back to the drift in a forecast (default 120). */
  levelDecayMinutes?: number;
  /** Damping time, minutes, of the trend term of the forecast; 0 = no trend term (default 0). */
  trendDampingMinutes?: number;
  /** Time constant, minutes, of the trend estimate used by that term (default 30). */
  trendMinutes?: number;
  /** Time constant, minutes, of the long-run mean, the baseline where no seasonality stands out (default 1440). */
  meanMinutes?: number;
  /** Time constant, minutes, of the fast level that detects a level shift such as the end of a burst (default 0.5). */
  shiftMinutes?: number;
  /**
   * The level jumps toward the fast level when the evidence of a shift (a squared z-score against
   * the measured noise and against Poisson counts, whichever is weaker) exceeds this; 0 = never (default 49).
   */
  shiftSignificance?: number;
  /** A sample's rate is credited to at most this many minutes before it, or 2× the median sampling interval if longer (default 5). */
  gapMinutes?: number;
  /** Window, minutes, of the forecasts the predictor scores itself on (default 5). */
  confidenceHorizonMinutes?: number;
  /** Number of recent scored forecasts the measured error averages over (default 20). */
  confidenceMemory?: number;
  /** Rate (per minute) below which errors are scaled as if the rate were this (default 1). */
  confidenceErrorFloor?: number;
  /** Scored forecasts for the data-sufficiency factor to reach 63 % (default 5). */
  confidenceSufficiency?: number;
  /** Relative change of the smoothed rate over `trendWindowMinutes` that counts as a trend (default 0.1). */
  trendThreshold?: number;
  /** Window, minutes, of that relative change (default 30). */
  trendWindowMinutes?: number;
}

type KnobName = Exclude<keyof WorkloadPredictorOptions, 'historySize' | 'clock' | 'timezone'>;

const KNOB_DEFAULTS: Readonly<Record<KnobName, number>> = Object.freeze({
  ...DEFAULT_MODEL_KNOBS,
  confidenceHorizonMinutes: 5,
  confidenceMemory: 20,
  confidenceErrorFloor: 1,
  confidenceSufficiency: 5,
  trendThreshold: 0.1,
  trendWindowMinutes: 30,
});

/** Knobs that must be > 0 (the others must be >= 0). */
const POSITIVE_KNOBS: ReadonlySet<string> = new Set([
  'weeklyMemoryWeeks', 'dailyMemoryDays', 'variancePrior', 'levelMinutes', 'driftMinutes', 'trendMinutes', 'meanMinutes', 'shiftMinutes',
  'gapMinutes', 'confidenceHorizonMinutes', 'confidenceMemory', 'confidenceSufficiency', 'trendWindowMinutes',
]);

const MAX_RATE = 1e9;
/** 100 years: keeps every forecast instant a valid Date. */
const MAX_HORIZON_MINUTES = 100 * 525_600;
const MAX_COUNT = 1e12;

function resolveKnobs(options: WorkloadPredictorOptions, base: Readonly<Record<string, number>>): Record<KnobName, number> {
  const out = { ...KNOB_DEFAULTS } as Record<KnobName, number>;
  for (const name of Object.keys(KNOB_DEFAULTS) as KnobName[]) {
    const fromBase = base[name];
    if (fromBase !== undefined) out[name] = fromBase;
    const given = options[name];
    if (given === undefined) continue;
    const positive = POSITIVE_KNOBS.has(name);
    if (typeof given !== 'number' || !Number.isFinite(given) || given < 0 || (positive && given === 0)) {
      throw new RangeError(`${name} must be a finite number ${positive ? '> 0' : '>= 0'}, got ${String(given)}`);
    }
    if (name === 'smoothingSlots' && (!Number.isInteger(given) || given > 144)) {
      throw new RangeError(`smoothingSlots must be an integer in [0, 144], got ${String(given)}`);
    }
    out[name] = given;
  }
  return out;
}

function resolveHistorySize(value: number | undefined): number {
  if (value === undefined) return 1000;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`historySize must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

/** A usable reading or null: NaN, ±Infinity, negatives and absurdly large values count as missing. */
function reading(value: unknown, max: number): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max ? value : null;
}

/** Epoch ms of a Date (or, from untyped callers, epoch ms or an ISO string); null when unusable. */
function timestampMs(value: unknown): number | null {
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') ms = Date.parse(value);
  else return null;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 - 1e13 ? ms : null;
}

export class WorkloadPredictor {
  readonly historySize: number;
  readonly timezone: string;
  private readonly clock: Clock;
  private readonly knobs: Record<KnobName, number>;
  private readonly model: SeasonalModel;
  private readonly tracker: ForecastErrorTracker;
  private readonly ensemble = new ForecastEnsemble();
  /** Ring buffer of kept samples (oldest at ringStart once full). */
  private readonly ring: KeptSample[] = [];
  private ringStart = 0;
  private last: LastReadings = { rate: null, queueDepth: null, latency: null, workers: null };
  private readonly timestamps = new TimestampGuard(PREDICTOR_TIMESTAMP_TOLERANCE_MS, JUMP_CONFIRMATIONS);
  private rejected = 0;

  constructor(options: WorkloadPredictorOptions = {}) {
    this.historySize = resolveHistorySize(options.historySize);
    this.timezone = options.timezone ?? 'UTC';
    this.clock = options.clock ?? systemClock;
    this.knobs = resolveKnobs(options, {});
    const modelKnobs: SeasonalModelKnobs = { ...this.knobs };
    this.model = new SeasonalModel(modelKnobs, new LocalSlots(this.timezone));
    this.tracker = new ForecastErrorTracker(this.trackerKnobs());
  }

  private trackerKnobs(): ErrorTrackerKnobs {
    return {
      horizonMinutes: this.knobs.confidenceHorizonMinutes,
      memory: this.knobs.confidenceMemory,
      errorFloor: this.knobs.confidenceErrorFloor,
      sufficiencyScale: this.knobs.confidenceSufficiency,
    };
  }

  /** Samples kept (at most historySize). */
  get sampleCount(): number {
    return this.ring.length;
  }

  /** Samples refused for an implausible timestamp (more than a week ahead of the latest, unconfirmed). */
  get rejectedSamples(): number {
    return this.rejected;
  }

  /**
   * Adds one observation; `validationsPerMinute` is the arrival rate (demand) since the previous
   * sample. Garbage numbers are treated as missing; a sample without a valid timestamp, or older
   * than the latest one, is ignored (the rate of an out-of-order interval is undefined). A sample
   * more than a week ahead of the latest is refused unless the next samples confirm the jump
   * (timestamps.ts): one bad clock must not push every later sample into the past. Never throws.
   */
  addSample(sample: WorkloadSample): void {
    if (typeof sample !== 'object' || sample === null) return;
    const t = timestampMs(sample.timestamp);
    const lastMs = this.model.lastMs;
    if (t === null || (lastMs !== null && t < lastMs)) return;
    if (this.timestamps.latest !== lastMs) this.timestamps.reset(lastMs);
    if (!this.timestamps.check(t).ok) {
      this.rejected++;
      return;
    }
    const kept: KeptSample = {
      t,
      rate: reading(sample.validationsPerMinute, MAX_RATE),
      queueDepth: reading(sample.queueDepth, MAX_COUNT),
      latency: reading(sample.avgLatencySeconds, MAX_COUNT),
      workers: reading(sample.activeWorkers, MAX_COUNT),
      cpu: reading(sample.cpuUsage, MAX_COUNT),
      memory: reading(sample.memoryUsage, MAX_COUNT),
    };
    this.keep(kept);
    if (kept.rate !== null) this.last.rate = kept.rate;
    if (kept.queueDepth !== null) this.last.queueDepth = kept.queueDepth;
    if (kept.latency !== null) this.last.latency = kept.latency;
    if (kept.workers !== null) this.last.workers = kept.workers;

    const covered = this.model.observe(t, kept.rate);
    if (kept.rate !== null) this.ensemble.observe(covered.startMs, covered.endMs, kept.rate, t, this.model);
    else this.ensemble.modelChanged();
    this.tracker.observe(covered.startMs, covered.endMs, kept.rate, t);
    if (kept.rate !== null && (lastMs === null || t > lastMs)) {
      this.tracker.issue(t, this.forecastMean(0, this.knobs.confidenceHorizonMinutes));
    }
  }

  private keep(sample: KeptSample): void {
    if (this.ring.length < this.historySize) {
      this.ring.push(sample);
    } else {
      this.ring[this.ringStart] = sample;
      this.ringStart = (this.ringStart + 1) % this.ring.length;
    }
  }

  private keptSamples(): KeptSample[] {
    const out: KeptSample[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const s = this.ring[(this.ringStart + i) % this.ring.length];
      if (s !== undefined) out.push(s);
    }
    return out;
  }

  /** Forecast of the rate `timeHorizonMinutes` after the latest sample (fractional minutes allowed). */
  predict(timeHorizonMinutes = 5): WorkloadPrediction {
    const h = timeHorizonMinutes;
    if (typeof h !== 'number' || !Number.isFinite(h) || h < 0 || h > MAX_HORIZON_MINUTES) {
      throw new RangeError(`timeHorizonMinutes must be a finite number in [0, ${MAX_HORIZON_MINUTES}], got ${String(h)}`);
    }
    const lastMs = this.model.lastMs;
    if (lastMs === null) {
      const now = this.clock().getTime();
      return {
        predictedValidationsPerMinute: 0,
        predictedQueueDepth: 0,
        confidence: 0,
        timeHorizonMinutes: h,
        timestamp: new Date(now + h * 60_000),
        trend: 'stable',
      };
    }
    const rate = this.forecastMean(h, h);
    return {
      predictedValidationsPerMinute: rate,
      predictedQueueDepth: this.queueDepthAfter(h, this.forecastMean(0, h)),
      confidence: this.tracker.confidence(),
      timeHorizonMinutes: h,
      timestamp: new Date(lastMs + h * 60_000),
      trend: this.trend(),
    };
  }

  /**
   * Queue after h minutes, assuming arrivals at `meanRate` (the forecast's mean over the next h
   * minutes) and service at the fleet's capacity (activeWorkers × 60 / avgLatencySeconds per
   * minute, every worker busy). When capacity is unknown (no latency or workers yet), the fleet
   * is assumed to keep serving the latest rate.
   */
  private queueDepthAfter(h: number, meanRate: number): number {
    const rate = meanRate;
    const { queueDepth, latency, workers } = this.last;
    const capacity = workers !== null && latency !== null && latency > 0
      ? (workers * 60) / latency
      : this.last.rate ?? rate;
    const depth = Math.round((queueDepth ?? 0) + (rate - capacity) * h);
    return Number.isFinite(depth) ? Math.min(Math.max(0, depth), Number.MAX_SAFE_INTEGER) : 0;
  }

  private trend(): Trend {
    const rel = this.model.relativeSlope(this.knobs.trendWindowMinutes);
    if (rel > this.knobs.trendThreshold) return 'increasing';
    if (rel < -this.knobs.trendThreshold) return 'decreasing';
    return 'stable';
  }

  /** Mean predicted rate over (latest + fromMinutes, latest + toMinutes]. */
  forecastMeanRate(fromMinutes: number, toMinutes: number): number {
    if (typeof fromMinutes !== 'number' || !Number.isFinite(fromMinutes) || fromMinutes < 0 || fromMinutes > MAX_HORIZON_MINUTES) {
      throw new RangeError(`fromMinutes must be a finite number in [0, ${MAX_HORIZON_MINUTES}], got ${String(fromMinutes)}`);
    }
    if (typeof toMinutes !== 'number' || !Number.isFinite(toMinutes) || toMinutes < fromMinutes || toMinutes > MAX_HORIZON_MINUTES) {
      throw new RangeError(`toMinutes must be a finite number in [fromMinutes (${fromMinutes}), ${MAX_HORIZON_MINUTES}], got ${String(toMinutes)}`);
    }
    return this.forecastMean(fromMinutes, toMinutes);
  }

  /**
   * How the forecast of a window ending `horizonMinutes` ahead is made: each ensemble member's
   * share (summing to 1), from the members' measured errors (forecast-ensemble.ts).
   */
  forecastWeights(horizonMinutes = 5): Record<MemberName, number> {
    if (typeof horizonMinutes !== 'number' || !Number.isFinite(horizonMinutes) || horizonMinutes < 0 || horizonMinutes > MAX_HORIZON_MINUTES) {
      throw new RangeError(`horizonMinutes must be a finite number in [0, ${MAX_HORIZON_MINUTES}], got ${String(horizonMinutes)}`);
    }
    const w = this.ensemble.weightsFor(horizonMinutes, this.model.typicalIntervalMinutes());
    const out = {} as Record<MemberName, number>;
    MEMBER_NAMES.forEach((name, m) => { out[name] = w[m] ?? 0; });
    return out;
  }

  private forecastMean(fromMinutes: number, toMinutes: number): number {
    return this.ensemble.forecastMean(fromMinutes, toMinutes, this.model);
  }

  getStatistics(): WorkloadStatistics {
    const samples = this.keptSamples();
    const agg = (pick: (s: KeptSample) => number | null): { avg: number; max: number } => {
      let sum = 0;
      let n = 0;
      let max = 0;
      for (const s of samples) {
        const v = pick(s);
        if (v === null) continue;
        sum += v;
        n += 1;
        if (v > max) max = v;
      }
      return { avg: n > 0 ? sum / n : 0, max };
    };
    const rate = agg((s) => s.rate);
    const queue = agg((s) => s.queueDepth);
    const latency = agg((s) => s.latency);
    const first = samples[0];
    const lastSample = samples[samples.length - 1];
    return {
      sampleCount: samples.length,
      avgValidationsPerMinute: rate.avg,
      maxValidationsPerMinute: rate.max,
      avgQueueDepth: queue.avg,
      maxQueueDepth: queue.max,
      avgLatencySeconds: latency.avg,
      maxLatencySeconds: latency.max,
      timeSpanMinutes: first !== undefined && lastSample !== undefined ? (lastSample.t - first.t) / 60_000 : 0,
    };
  }

  /** The whole learned state as versioned JSON (`{ "version": 3, … }`). */
  exportHistory(): string {
    return serializeSnapshot({
      historySize: this.historySize,
      timezone: this.timezone,
      knobs: { ...this.knobs },
      model: this.model.state,
      tracker: this.tracker.state,
      last: { ...this.last },
      samples: this.keptSamples(),
      ensemble: ensembleJson(this.ensemble.state),
    });
  }

  /**
   * Rebuilds a predictor from `exportHistory()` output. The exported knobs and time zone are kept;
   * `options` may inject a clock, change historySize (keeping the newest samples) or override knobs.
   * Throws HistoryFormatError naming the first invalid field.
   */
  static importHistory(json: string, options: WorkloadPredictorOptions = {}): WorkloadPredictor {
    const snap = parseSnapshot(json);
    const merged: WorkloadPredictorOptions = { ...resolveKnobs({}, snap.knobs) };
    for (const [key, value] of Object.entries(options)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
    const predictor = new WorkloadPredictor({
      ...merged,
      historySize: options.historySize ?? snap.historySize,
      timezone: options.timezone ?? snap.timezone,
    });
    predictor.model.restore(snap.model);
    if (snap.ensemble !== undefined) predictor.ensemble.restore(parseEnsembleState(snap.ensemble));
    Object.assign(predictor.tracker.state, snap.tracker);
    predictor.last = { ...snap.last };
    let previous = -Infinity;
    for (const [i, s] of snap.samples.entries()) {
      if (s.t < previous) throw new HistoryFormatError(`importHistory: field "samples[${i}].t" must not be older than the sample before it`);
      previous = s.t;
      predictor.keep(s);
    }
    return predictor;
  }
}
