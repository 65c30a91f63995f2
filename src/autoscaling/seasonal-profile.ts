/**
 * One seasonal profile: a fixed array of slots (2016 for the week, 288 for the day), each holding
 * an exponentially-weighted mean of the slot's observations (one observation = the mean rate over
 * the slot's 5 minutes in one week or day), its weight in observations, and the variance between
 * observations. Memory is fixed by the slot count, whatever the number of samples.
 *
 * Each slot also keeps its state from before its latest observation and when that observation
 * was made, so a forecast uses only earlier periods: today's 10:00 informs tomorrow's 10:00, never
 * today's 10:30 (that is the level's job). Without this, neighbour smoothing would spread a burst
 * seen a few minutes ago over the next hour of the same day.
 *
 * `estimate` denoises a slot: the evidence-weighted mean of its neighbourhood, plus the slot's own
 * deviation from it only where that deviation stands out from the slot's measured variability
 * (positive-part James-Stein) and has been seen more than once. So a sharp, repeated spike keeps
 * its height, a one-off burst does not become a pattern, and noise is smoothed.
 */
import { SLOT_MS } from './local-slots.js';

export interface ProfileState {
  value: Float64Array;
  /** Observations behind each slot's mean (fractional for part-observed slots), capped at the memory. */
  weight: Float64Array;
  /** Variance of a slot's observations around its mean. */
  variance: Float64Array;
  /** The slot's value, weight and variance before its latest observation. */
  prevValue: Float64Array;
  prevWeight: Float64Array;
  prevVariance: Float64Array;
  /** UTC start (ms) of the slot instance observed last; NEVER_OBSERVED if none. */
  lastStartMs: Float64Array;
  /** Variance of observations around their slot means, pooled over all slots. */
  pooledVariance: number;
  pooledWeight: number;
}

export interface SlotEstimate {
  smooth: number;
  smoothNoise: number;
  detail: number;
  /** The slot's own weight from earlier periods (0 = only neighbours seen). */
  own: number;
}

export interface ProfileKnobs {
  /** Observations a slot remembers (its weight cap). */
  memory: number;
  /** Observations' worth of pooled variance mixed into each slot's own variance. */
  variancePrior: number;
  /** Half-width, in slots, of the neighbourhood a slot is smoothed toward. */
  smoothingSlots: number;
  /** A slot's own deviation from its neighbourhood is kept only beyond this many noise variances. */
  detailSignificance: number;
}

/** Pooled variance remembers about this many slot observations. */
const POOLED_MEMORY = 2016;
/** Pooled variance counts a deviation up to this many of its σ, once it rests on POOLED_WARMUP observations. */
const POOLED_CLIP = 3;
const POOLED_WARMUP = 12;
/** lastStartMs of a slot never observed (the earliest valid Date; JSON-safe, unlike -Infinity). */
export const NEVER_OBSERVED = -8.64e15;

export function emptyProfile(slots: number): ProfileState {
  return {
    value: new Float64Array(slots),
    weight: new Float64Array(slots),
    variance: new Float64Array(slots),
    prevValue: new Float64Array(slots),
    prevWeight: new Float64Array(slots),
    prevVariance: new Float64Array(slots),
    lastStartMs: new Float64Array(slots).fill(NEVER_OBSERVED),
    pooledVariance: 0,
    pooledWeight: 0,
  };
}

/**
 * Share of a deviation `d` to keep when its noise variance is `noise`: nothing unless it stands out
 * (d² > significance × noise), then the James-Stein share 1 − noise/d².
 */
export function keepShare(d: number, noise: number, significance: number): number {
  const d2 = d * d;
  return d2 <= significance * noise || d2 === 0 ? 0 : 1 - noise / d2;
}

/**
 * Share of a slot's own deviation that counts as a pattern after `observations` periods: none for
 * a single one (a one-off burst is not evidence that it repeats), 63 % after two, 86 % after three.
 */
export function repeatShare(observations: number): number {
  return observations <= 1 ? 0 : 1 - Math.exp(-(observations - 1));
}

export class SeasonalProfile {
  constructor(readonly state: ProfileState, private readonly knobs: ProfileKnobs, private readonly periodMs: number) {}

  /** Folds one observation (mean rate over the slot instance starting at `startMs`) with `weight` in (0, 1] into slot i. */
  observe(i: number, observation: number, weight: number, startMs: number): void {
    const s = this.state;
    const w = s.weight[i] ?? 0;
    const v = s.value[i] ?? 0;
    const variance = s.variance[i] ?? 0;
    s.prevValue[i] = v;
    s.prevWeight[i] = w;
    s.prevVariance[i] = variance;
    s.lastStartMs[i] = startMs;
    const g = weight / (w + weight);
    if (w > 0) {
      const dev2 = (observation - v) * (observation - v);
      s.variance[i] = variance + g * (dev2 - variance);
      // Winsorised once warm, so one burst does not make every slot look noisy for a week.
      const pooledDev2 = s.pooledWeight >= POOLED_WARMUP ? Math.min(dev2, POOLED_CLIP * POOLED_CLIP * s.pooledVariance) : dev2;
      const pg = weight / (s.pooledWeight + weight);
      s.pooledVariance += pg * (pooledDev2 - s.pooledVariance);
      s.pooledWeight = Math.min(s.pooledWeight + weight, POOLED_MEMORY);
    }
    s.value[i] = v + g * (observation - v);
    s.weight[i] = Math.min(w + weight, this.knobs.memory);
  }

  /**
   * Slot i for the instance starting at `instanceStartMs` (UTC ms), from earlier periods only.
   * `smooth` is the evidence-weighted mean of its neighbourhood (± smoothingSlots) and
   * `smoothNoise` its variance as a forecast (neighbouring slots move together from one period
   * to the next, so averaging them does not shrink it); `detail` is the slot's own deviation from
   * `smooth`, kept only as far as it stands out from the slot's noise and has repeated. Null when
   * nothing nearby was seen in an earlier period.
   */
  estimate(i: number, instanceStartMs: number, fallbackVariance = 0, fallbackWeight = 0): SlotEstimate | null {
    const s = this.state;
    const n = s.value.length;
    const half = this.knobs.smoothingSlots;
    const k = this.knobs.variancePrior;
    // Variance of one observation of a slot: its own, blended with k observations' worth of the
    // pooled (or fallback) variance.
    const prior = (s.pooledVariance * s.pooledWeight + fallbackVariance * fallbackWeight) / Math.max(s.pooledWeight + fallbackWeight, 1e-12);
    // A slot's latest observation counts only if made at least half a period before the instance
    // it stands for (i.e. in an earlier period); otherwise its state from before that observation.
    const cutoff = instanceStartMs - this.periodMs / 2;
    let sumWeight = 0;
    let sumValue = 0;
    let sumVariance = 0;
    let seen = 0;
    let own = 0;
    let ownValue = 0;
    let ownVariance = 0;
    for (let j = -half; j <= half; j++) {
      const at = (((i + j) % n) + n) % n;
      const earlier = (s.lastStartMs[at] ?? NEVER_OBSERVED) > cutoff + j * SLOT_MS;
      const w = (earlier ? s.prevWeight[at] : s.weight[at]) ?? 0;
      if (w <= 0) continue;
      const value = (earlier ? s.prevValue[at] : s.value[at]) ?? 0;
      const variance = (earlier ? s.prevVariance[at] : s.variance[at]) ?? 0;
      sumWeight += w;
      sumValue += w * value;
      sumVariance += w * ((variance * w + prior * k) / (w + k));
      seen += 1;
      if (j === 0) {
        own = w;
        ownValue = value;
        ownVariance = variance;
      }
    }
    if (sumWeight <= 0) return null;
    const smooth = sumValue / sumWeight;
    const smoothNoise = sumVariance / sumWeight / (sumWeight / seen);
    if (own <= 0) return { smooth, smoothNoise, detail: 0, own };
    const diff = ownValue - smooth;
    const noise = (ownVariance * own + prior * k) / (own + k) / own;
    const share = keepShare(diff, noise, this.knobs.detailSignificance) * repeatShare(own);
    return { smooth, smoothNoise, detail: diff * share, own };
  }
}
