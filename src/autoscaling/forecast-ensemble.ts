/**
 * The predictor's forecast: an online ensemble of the members in forecast-members.ts, weighted
 * by how well each has recently forecast windows of about the length asked for.
 *
 * Scoring (no peeking): at most once per issue interval, for each horizon bucket W (5, 15 and
 * 60 min; longer windows use the 60-minute weights), every member forecasts the mean rate over the next W minutes; once those W minutes have
 * been observed (minute-history.ts) each forecast is scored by its absolute error, and the
 * member's error for that bucket is an exponentially weighted mean over its last ~MEMORY scores.
 * Windows less than half observed (a gap) are dropped, not scored. A member that cannot forecast
 * some windows (seasonal naive before a day of history) is compared with the seasonal model on
 * the windows it did forecast: its error counts as E_seasonal × (its error ÷ the seasonal model's
 * error on those same windows), so a member that started late on a calm night is not preferred
 * over one whose record includes yesterday's burst. Until a member has many
 * scores, its error is blended with the local-level prior of forecast-prior.ts.
 *
 * Combining: a member's weight is exp(−η·(E/E_best − 1)), E its error, E_best the lowest error in
 * the bucket, so the best member counts fully, one 10 % worse counts e^−1, and members about as
 * good as each other are averaged (which beats each of them alone on noisy data). A window
 * (from, to] uses the weights of the bucket whose W matches `to`, interpolated on a log scale
 * between neighbouring buckets; windows ending within 5 minutes use the 5-minute weights. (No
 * 1-minute bucket: a controller samples a trailing-minute rate every 15 s, so a 1-minute window's
 * "actual" overlaps data already seen and would crown the last value unfairly.) A bucket without
 * error estimates borrows the nearest bucket's weights; with none at all the seasonal model alone
 * forecasts. Memory is fixed: two hours of minute history, a few pending forecasts per bucket, one
 * error per member and bucket.
 */
import { MinuteHistory, emptyHistoryState, type CompletedMinutes, type MinuteHistoryState, type WindowMean } from './minute-history.js';
import {
  ForecastMembers, MEMBER_COUNT, MEMBER_GAINS, SEASONAL_MEMBER, emptyMembersState, type MembersState,
} from './forecast-members.js';
import { LocalLevelPrior, PRIOR_SCORES, emptyVariogramState, type VariogramState } from './forecast-prior.js';

/** Horizon buckets: forecast windows (0, W] the members are scored on. */
export const BUCKET_MINUTES = [5, 15, 60] as const;
/** Scores the error average remembers (a running mean before that). */
const MEMORY = 200;
/** Sharpness of the weights. */
const ETA = 10;
/** Scores a member needs in a bucket before its measured error alone gives it weight there. */
const MIN_SCORES = 10;
/** Pending forecasts per bucket: one per issue interval (W / ISSUES_PER_WINDOW, at least a minute). */
const ISSUES_PER_WINDOW = 8;
const MIN_COVERAGE = 0.5;
const MIN_ERROR = 1e-12;

export interface BucketState {
  /** Start (epoch ms) of each pending window (0, W] and every member's forecast of it. */
  pendingStartMs: number[];
  pendingForecasts: number[][];
  lastIssuedMs: number | null;
  /** Per member: EW mean absolute error, the seasonal model's over the same windows, and the scores behind them. */
  error: number[];
  paired: number[];
  scores: number[];
}

export interface EnsembleState {
  history: MinuteHistoryState;
  members: MembersState;
  buckets: BucketState[];
  variogram: VariogramState;
}

export function emptyBucketState(): BucketState {
  return {
    pendingStartMs: [], pendingForecasts: [], lastIssuedMs: null,
    error: new Array<number>(MEMBER_COUNT).fill(0), paired: new Array<number>(MEMBER_COUNT).fill(0),
    scores: new Array<number>(MEMBER_COUNT).fill(0),
  };
}

export function emptyEnsembleState(): EnsembleState {
  return {
    history: emptyHistoryState(), members: emptyMembersState(), buckets: BUCKET_MINUTES.map(() => emptyBucketState()),
    variogram: emptyVariogramState(BUCKET_MINUTES.length),
  };
}

/** What the ensemble needs from the seasonal model for a window (from, to] after the latest sample. */
export interface SeasonalSource {
  readonly lastMs: number | null;
  /** Median sampling interval, minutes. */
  typicalIntervalMinutes(): number;
  /** Mean seasonal deviation over the window, and the model's own forecast of it. */
  windowParts(fromMinutes: number, toMinutes: number): { readonly seasonal: number; readonly forecast: number };
  /** Measured per-minute noise σ of the deseasonalised rate. */
  noiseSigma(): number;
  /** Mean seasonal deviation over [startMs, endMs). */
  meanSeasonal(startMs: number, endMs: number): number;
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
  private readonly prior: LocalLevelPrior;
  private readonly scratch = new Float64Array(MEMBER_COUNT);
  private readonly weightsLow = new Float64Array(MEMBER_COUNT);
  private readonly weightsHigh = new Float64Array(MEMBER_COUNT);
  private readonly actual: WindowMean = { mean: 0, covered: 0 };
  private readonly completed: CompletedMinutes = { first: 0, count: 0, sum: 0 };
  /**
   * Derived data, not state (a restored copy recomputes the same): each bucket's weights, valid
   * until new scores, a variogram update or another sampling interval; the model's sampling
   * interval as of the latest sample.
   */
  private readonly cachedWeights = BUCKET_MINUTES.map(() => new Float64Array(MEMBER_COUNT));
  private readonly cacheValid = BUCKET_MINUTES.map(() => false);
  private cachedInterval = Number.NaN;
  private intervalNow: number | null = null;

  constructor(state: EnsembleState = emptyEnsembleState()) {
    this.state = state;
    this.history = new MinuteHistory(state.history);
    this.members = new ForecastMembers(state.members);
    this.prior = new LocalLevelPrior(state.variogram, BUCKET_MINUTES);
  }

  /** Replaces the learned state in place (members and history keep referring to the same objects). */
  restore(snapshot: EnsembleState): void {
    Object.assign(this.state.history, snapshot.history);
    Object.assign(this.state.members, snapshot.members);
    Object.assign(this.state.variogram, snapshot.variogram);
    this.state.buckets = snapshot.buckets;
    this.cacheValid.fill(false);
    this.intervalNow = null;
  }

  /** The model learned a sample without a usable rate: its sampling interval may have changed. */
  modelChanged(): void {
    this.intervalNow = null;
  }

  /**
   * One sample whose `rate` the model credited to [startMs, endMs); `nowMs` is the sample's time.
   * The members learn whole minutes only (the mean of the minutes this sample completed): a
   * controller's 15-second samples of a trailing-minute rate overlap, and fed one by one they
   * would make the fast members jitter from tick to tick. Then scores the windows this sample
   * completes and issues the forecasts due.
   */
  observe(startMs: number, endMs: number, rate: number, nowMs: number, model: SeasonalSource): void {
    const done = this.completed;
    done.count = 0;
    done.sum = 0;
    if (endMs > startMs) this.history.credit(startMs, endMs, rate, done);
    if (done.count > 0) {
      const mean = done.sum / done.count;
      const seasonal = model.meanSeasonal(done.first * 60_000, (done.first + done.count) * 60_000);
      this.members.observe(mean, mean - seasonal, done.count, model.noiseSigma());
    }
    if (this.prior.update(this.history, this.state.history.openMinute)) this.cacheValid.fill(false);
    this.intervalNow = null;
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
      const reference = Math.abs(actual.mean - (forecasts[SEASONAL_MEMBER] ?? 0));
      for (let m = 0; m < MEMBER_COUNT; m++) {
        const f = forecasts[m];
        if (f === undefined || f === null || Number.isNaN(f)) continue;
        const n = (bucket.scores[m] ?? 0) + 1;
        const g = Math.max(1 / n, 1 / MEMORY);
        bucket.scores[m] = n;
        bucket.error[m] = (bucket.error[m] ?? 0) + g * (Math.abs(actual.mean - f) - (bucket.error[m] ?? 0));
        bucket.paired[m] = (bucket.paired[m] ?? 0) + g * (reference - (bucket.paired[m] ?? 0));
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
    this.memberForecasts(0, minutes, model);
    bucket.pendingStartMs.push(nowMs);
    bucket.pendingForecasts.push(Array.from(this.scratch));
    bucket.lastIssuedMs = nowMs;
  }

  private memberForecasts(fromMinutes: number, toMinutes: number, model: SeasonalSource): Float64Array {
    const parts = model.windowParts(fromMinutes, toMinutes);
    this.members.forecast(parts.seasonal, parts.forecast, this.scratch);
    return this.scratch;
  }

  /** The ensemble's mean rate over (latest + from, latest + to]. */
  forecastMean(fromMinutes: number, toMinutes: number, model: SeasonalSource): number {
    if (model.lastMs === null) return 0;
    const f = this.memberForecasts(fromMinutes, toMinutes, model);
    this.intervalNow ??= model.typicalIntervalMinutes();
    const w = this.weightsFor(toMinutes, this.intervalNow);
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

  /** Members' weights (summing to 1) for a window ending `toMinutes` ahead, samples `intervalMinutes` apart. */
  weightsFor(toMinutes: number, intervalMinutes: number): Float64Array {
    if (intervalMinutes !== this.cachedInterval) {
      this.cacheValid.fill(false);
      this.cachedInterval = intervalMinutes;
    }
    const h = Math.max(toMinutes, BUCKET_MINUTES[0]);
    let hi = BUCKET_MINUTES.findIndex((w) => w >= h);
    if (hi < 0) hi = BUCKET_MINUTES.length - 1;
    const lo = Math.max(0, BUCKET_MINUTES[hi] === h ? hi : hi - 1);
    this.weightsLow.set(this.bucketWeights(lo, intervalMinutes));
    if (lo === hi) return this.weightsLow;
    this.weightsHigh.set(this.bucketWeights(hi, intervalMinutes));
    const x = Math.min(1, Math.log(h / (BUCKET_MINUTES[lo] ?? 1)) / Math.log((BUCKET_MINUTES[hi] ?? 1) / (BUCKET_MINUTES[lo] ?? 1)));
    const low = this.weightsLow;
    for (let m = 0; m < MEMBER_COUNT; m++) low[m] = (1 - x) * (low[m] ?? 0) + x * (this.weightsHigh[m] ?? 0);
    return low;
  }

  /** Weights of bucket b, or of the nearest bucket with scores, or the seasonal model alone. */
  private bucketWeights(b: number, intervalMinutes: number): Float64Array {
    const out = this.cachedWeights[b] ?? new Float64Array(MEMBER_COUNT);
    if (this.cacheValid[b] === true) return out;
    this.cacheValid[b] = true;
    if (this.scoredWeights(b, intervalMinutes, out)) return out;
    for (let d = 1; d < BUCKET_MINUTES.length; d++) {
      if (this.scoredWeights(b - d, intervalMinutes, out) || this.scoredWeights(b + d, intervalMinutes, out)) return out;
    }
    out.fill(0);
    out[SEASONAL_MEMBER] = 1;
    return out;
  }

  /**
   * Weights from the members' errors in bucket b: measured, blended with the prior (PRIOR_SCORES
   * scores' worth) where there is one. False when no member has an error estimate there yet.
   */
  private scoredWeights(b: number, intervalMinutes: number, out: Float64Array): boolean {
    const bucket = this.state.buckets[b];
    if (bucket === undefined) return false;
    let best = Infinity;
    for (let m = 0; m < MEMBER_COUNT; m++) {
      const e = this.memberError(bucket, b, m, intervalMinutes);
      out[m] = e;
      if (e < best) best = e;
    }
    if (best === Infinity) return false;
    let sum = 0;
    for (let m = 0; m < MEMBER_COUNT; m++) {
      const e = out[m] ?? Infinity;
      out[m] = e === Infinity ? 0 : Math.exp(-ETA * (e / best - 1));
      sum += out[m] ?? 0;
    }
    for (let m = 0; m < MEMBER_COUNT; m++) out[m] = (out[m] ?? 0) / sum;
    return true;
  }

  /** A member's error estimate in bucket b (at least MIN_ERROR), Infinity when it has none. */
  private memberError(bucket: BucketState, b: number, m: number, intervalMinutes: number): number {
    const scores = Math.min(bucket.scores[m] ?? 0, MEMORY);
    const own = bucket.error[m] ?? 0;
    const paired = bucket.paired[m] ?? 0;
    const seasonal = bucket.error[SEASONAL_MEMBER] ?? 0;
    const measured = paired > MIN_ERROR ? (seasonal * own) / paired : own;
    const prior = this.prior.error(b, MEMBER_GAINS[m] ?? Number.NaN, intervalMinutes);
    let e: number;
    if (!Number.isNaN(prior)) e = (scores * measured + PRIOR_SCORES * prior) / (scores + PRIOR_SCORES);
    else if (scores >= MIN_SCORES) e = measured;
    else return Infinity;
    return Math.max(e, MIN_ERROR);
  }
}
