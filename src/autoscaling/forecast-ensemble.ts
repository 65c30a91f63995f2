/**
 * The predictor's forecast: an online ensemble of the members in forecast-members.ts, weighted
 * by how well each has recently forecast windows of about the length asked for.
 *
 * Scoring (no peeking): at most once per issue interval, for each horizon bucket W (1 min to
 * 4 h), every member forecasts the mean rate over the next W minutes; once those W minutes have
 * been observed (minute-history.ts) each forecast is scored by its absolute error, and the
 * member's error for that bucket is an exponentially weighted mean over its last ~MEMORY scores.
 * Windows less than half observed (a gap) are dropped, not scored.
 *
 * Combining: a member's weight is exp(−η·(E/E_best − 1)), E its error, E_best the lowest error in
 * the bucket, so the best member counts fully, one 10 % worse counts exp(−η/10), and members about
 * as good as each other are averaged (which beats each of them alone on noisy data). A window
 * (from, to] uses the weights of the bucket whose W matches `to`, interpolated on a log scale
 * between neighbouring buckets. A bucket with too few scores borrows the nearest scored bucket's
 * weights; with none at all the seasonal model alone forecasts. Memory is fixed: the week of
 * minute history, a few pending forecasts per bucket, one error per member and bucket.
 */
import { MinuteHistory, emptyHistoryState, type MinuteHistoryState, type WindowMean } from './minute-history.js';
import {
  ForecastMembers, MEMBER_COUNT, SEASONAL_MEMBER, emptyMembersState, type MembersState, type WindowContext,
} from './forecast-members.js';

/** Horizon buckets: forecast windows (0, W] the members are scored on. */
export const BUCKET_MINUTES = [5, 15, 60, 240] as const;
/** Scores the error average remembers (a running mean before that). */
const MEMORY = 200;
/** Sharpness of the weights. */
const ETA = 6;
/** Scores a member needs in a bucket before it gets weight there. */
const MIN_SCORES = 3;
/** Pending forecasts per bucket: one per issue interval (W / ISSUES_PER_WINDOW, at least a minute). */
const ISSUES_PER_WINDOW = 8;
const MIN_COVERAGE = 0.5;
const MIN_ERROR = 1e-12;

export interface BucketState {
  /** Start (epoch ms) of each pending window (0, W] and every member's forecast of it. */
  pendingStartMs: number[];
  pendingForecasts: number[][];
  lastIssuedMs: number | null;
  /** Per member: EW mean absolute error and the number of scores behind it. */
  error: number[];
  scores: number[];
}

export interface EnsembleState {
  history: MinuteHistoryState;
  members: MembersState;
  buckets: BucketState[];
}

export function emptyBucketState(): BucketState {
  return {
    pendingStartMs: [], pendingForecasts: [], lastIssuedMs: null,
    error: new Array<number>(MEMBER_COUNT).fill(0), scores: new Array<number>(MEMBER_COUNT).fill(0),
  };
}

export function emptyEnsembleState(): EnsembleState {
  return { history: emptyHistoryState(), members: emptyMembersState(), buckets: BUCKET_MINUTES.map(() => emptyBucketState()) };
}

/** What the ensemble needs from the seasonal model for a window (from, to] after the latest sample. */
export interface SeasonalSource {
  readonly lastMs: number | null;
  /** Mean seasonal deviation over the window, and the model's own forecast of it. */
  windowParts(fromMinutes: number, toMinutes: number): { seasonal: number; forecast: number };
}

export function issueIntervalMs(bucketMinutes: number): number {
  return Math.max(1, bucketMinutes / ISSUES_PER_WINDOW) * 60_000;
}

export function maxPending(bucketMinutes: number): number {
  return Math.ceil((bucketMinutes * 60_000) / issueIntervalMs(bucketMinutes)) + 2;
}

export class ForecastEnsemble {
  readonly state: EnsembleState;
  private readonly history: MinuteHistory;
  private readonly members: ForecastMembers;
  private readonly scratch = new Float64Array(MEMBER_COUNT);
  private readonly weightsLow = new Float64Array(MEMBER_COUNT);
  private readonly weightsHigh = new Float64Array(MEMBER_COUNT);
  private readonly actual: WindowMean = { mean: 0, covered: 0 };
  /** Each bucket's resolved weights, recomputed only after new scores (derived data, not state). */
  private readonly cachedWeights = BUCKET_MINUTES.map(() => new Float64Array(MEMBER_COUNT));
  private readonly cacheValid = BUCKET_MINUTES.map(() => false);
  private readonly ctx: WindowContext;

  constructor(state: EnsembleState = emptyEnsembleState()) {
    this.state = state;
    this.history = new MinuteHistory(state.history);
    this.members = new ForecastMembers(state.members);
    this.ctx = { lastMs: 0, fromMinutes: 0, toMinutes: 0, seasonal: 0, model: 0, history: this.history };
  }

  /**
   * One sample whose `rate` the model credited to [startMs, endMs), leaving `residual`; `nowMs`
   * is the sample's time. Scores the windows it completes, then issues the forecasts due.
   */
  observe(startMs: number, endMs: number, rate: number, residual: number, nowMs: number, model: SeasonalSource): void {
    if (endMs > startMs) this.history.credit(startMs, endMs, rate);
    this.members.observe(rate, residual, (endMs - startMs) / 60_000);
    for (let b = 0; b < BUCKET_MINUTES.length; b++) this.scoreDue(b, nowMs);
    for (let b = 0; b < BUCKET_MINUTES.length; b++) this.issueDue(b, nowMs, model);
  }

  private scoreDue(b: number, nowMs: number): void {
    const bucket = this.state.buckets[b];
    const windowMs = (BUCKET_MINUTES[b] ?? 1) * 60_000;
    if (bucket === undefined) return;
    while (bucket.pendingStartMs.length > 0 && (bucket.pendingStartMs[0] ?? Infinity) + windowMs <= nowMs) {
      const startMs = bucket.pendingStartMs.shift() ?? 0;
      const forecasts = bucket.pendingForecasts.shift() ?? [];
      const actual = this.history.windowMean(startMs, startMs + windowMs, this.actual);
      if (actual.covered < MIN_COVERAGE * (windowMs / 60_000)) continue;
      for (let m = 0; m < MEMBER_COUNT; m++) {
        const f = forecasts[m];
        if (f === undefined || f === null || Number.isNaN(f)) continue;
        const n = (bucket.scores[m] ?? 0) + 1;
        const e = bucket.error[m] ?? 0;
        bucket.scores[m] = n;
        bucket.error[m] = e + Math.max(1 / n, 1 / MEMORY) * (Math.abs(actual.mean - f) - e);
      }
      this.cacheValid.fill(false);
    }
  }

  private issueDue(b: number, nowMs: number, model: SeasonalSource): void {
    const bucket = this.state.buckets[b];
    const minutes = BUCKET_MINUTES[b] ?? 1;
    if (bucket === undefined || model.lastMs === null) return;
    if (bucket.lastIssuedMs !== null && nowMs - bucket.lastIssuedMs < issueIntervalMs(minutes)) return;
    if (bucket.pendingStartMs.length >= maxPending(minutes)) return;
    this.memberForecasts(0, minutes, model.lastMs, model);
    bucket.pendingStartMs.push(nowMs);
    bucket.pendingForecasts.push(Array.from(this.scratch));
    bucket.lastIssuedMs = nowMs;
  }

  private memberForecasts(fromMinutes: number, toMinutes: number, lastMs: number, model: SeasonalSource): Float64Array {
    const parts = model.windowParts(fromMinutes, toMinutes);
    const ctx = this.ctx;
    ctx.lastMs = lastMs;
    ctx.fromMinutes = fromMinutes;
    ctx.toMinutes = toMinutes;
    ctx.seasonal = parts.seasonal;
    ctx.model = parts.forecast;
    this.members.forecast(ctx, this.scratch);
    return this.scratch;
  }

  /** The ensemble's mean rate over (latest + from, latest + to]. */
  forecastMean(fromMinutes: number, toMinutes: number, model: SeasonalSource): number {
    if (model.lastMs === null) return 0;
    const f = this.memberForecasts(fromMinutes, toMinutes, model.lastMs, model);
    const w = this.weightsFor(toMinutes);
    let sum = 0;
    let total = 0;
    for (let m = 0; m < MEMBER_COUNT; m++) {
      const v = f[m] ?? Number.NaN;
      const weight = w[m] ?? 0;
      if (weight <= 0 || Number.isNaN(v)) continue;
      sum += weight * v;
      total += weight;
    }
    const value = total > 0 ? sum / total : f[SEASONAL_MEMBER] ?? 0;
    return Number.isFinite(value) && value > 0 ? value : 0;
  }

  /** Members' weights for a window ending `toMinutes` ahead (not normalised). */
  weightsFor(toMinutes: number): Float64Array {
    const h = Math.max(toMinutes, BUCKET_MINUTES[0]);
    let hi = BUCKET_MINUTES.findIndex((w) => w >= h);
    if (hi < 0) hi = BUCKET_MINUTES.length - 1;
    const lo = Math.max(0, BUCKET_MINUTES[hi] === h ? hi : hi - 1);
    this.weightsLow.set(this.bucketWeights(lo));
    if (lo === hi) return this.weightsLow;
    this.weightsHigh.set(this.bucketWeights(hi));
    const x = Math.min(1, Math.log(h / (BUCKET_MINUTES[lo] ?? 1)) / Math.log((BUCKET_MINUTES[hi] ?? 1) / (BUCKET_MINUTES[lo] ?? 1)));
    const low = this.weightsLow;
    for (let m = 0; m < MEMBER_COUNT; m++) low[m] = (1 - x) * (low[m] ?? 0) + x * (this.weightsHigh[m] ?? 0);
    return low;
  }

  /** Weights of bucket b, or of the nearest bucket with scores, or the seasonal model alone. */
  private bucketWeights(b: number): Float64Array {
    const out = this.cachedWeights[b] ?? new Float64Array(MEMBER_COUNT);
    if (this.cacheValid[b] === true) return out;
    this.cacheValid[b] = true;
    if (this.scoredWeights(b, out)) return out;
    for (let d = 1; d < BUCKET_MINUTES.length; d++) {
      if (this.scoredWeights(b - d, out) || this.scoredWeights(b + d, out)) return out;
    }
    out.fill(0);
    out[SEASONAL_MEMBER] = 1;
    return out;
  }

  private scoredWeights(b: number, out: Float64Array): boolean {
    const bucket = this.state.buckets[b];
    if (bucket === undefined) return false;
    let best = Infinity;
    for (let m = 0; m < MEMBER_COUNT; m++) {
      if ((bucket.scores[m] ?? 0) >= MIN_SCORES) best = Math.min(best, Math.max(bucket.error[m] ?? 0, MIN_ERROR));
    }
    if (best === Infinity) return false;
    let sum = 0;
    for (let m = 0; m < MEMBER_COUNT; m++) {
      const scored = (bucket.scores[m] ?? 0) >= MIN_SCORES;
      out[m] = scored ? Math.exp(-ETA * (Math.max(bucket.error[m] ?? 0, MIN_ERROR) / best - 1)) : 0;
      sum += out[m] ?? 0;
    }
    for (let m = 0; m < MEMBER_COUNT; m++) out[m] = (out[m] ?? 0) / sum;
    return true;
  }
}
