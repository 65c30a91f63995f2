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

/** A slot as seen from one target instant: its state from earlier periods only. */
interface SlotView {
  value: number;
  weight: number;
  variance: number;
}

export class SeasonalProfile {
  private readonly view: SlotView = { value: 0, weight: 0, variance: 0 };

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
      const pg = weight / (s.pooledWeight + weight);
      s.pooledVariance += pg * (dev2 - s.pooledVariance);
      s.pooledWeight = Math.min(s.pooledWeight + weight, POOLED_MEMORY);
    }
    s.value[i] = v + g * (observation - v);
    s.weight[i] = Math.min(w + weight, this.knobs.memory);
  }

  /**
   * Slot i as known before the instance starting at `instanceStartMs`: its latest observation is
   * left out unless it was made at least half a period earlier (i.e. in an earlier period).
   */
  private slotView(i: number, instanceStartMs: number): SlotView {
    const s = this.state;
    const view = this.view;
    if ((s.lastStartMs[i] ?? NEVER_OBSERVED) > instanceStartMs - this.periodMs / 2) {
      view.value = s.prevValue[i] ?? 0;
      view.weight = s.prevWeight[i] ?? 0;
      view.variance = s.prevVariance[i] ?? 0;
    } else {
      view.value = s.value[i] ?? 0;
      view.weight = s.weight[i] ?? 0;
      view.variance = s.variance[i] ?? 0;
    }
    return view;
  }

  /** Variance of one observation of a slot: its own, blended with the pooled (or `fallback`) one. */
  private observationVariance(own: number, ownVariance: number, fallbackVariance: number, fallbackWeight: number): number {
    const s = this.state;
    const prior = (s.pooledVariance * s.pooledWeight + fallbackVariance * fallbackWeight) / Math.max(s.pooledWeight + fallbackWeight, 1e-12);
    const k = this.knobs.variancePrior;
    return (ownVariance * own + prior * k) / (own + k);
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
    let sumWeight = 0;
    let sumValue = 0;
    let sumVariance = 0;
    let seen = 0;
    let own = 0;
    let ownValue = 0;
    let ownVariance = 0;
    for (let j = -half; j <= half; j++) {
      const at = (((i + j) % n) + n) % n;
      const v = this.slotView(at, instanceStartMs + j * SLOT_MS);
      if (v.weight > 0) {
        sumWeight += v.weight;
        sumValue += v.weight * v.value;
        sumVariance += v.weight * this.observationVariance(v.weight, v.variance, fallbackVariance, fallbackWeight);
        seen += 1;
        if (j === 0) {
          own = v.weight;
          ownValue = v.value;
          ownVariance = v.variance;
        }
      }
    }
    if (sumWeight <= 0) return null;
    const smooth = sumValue / sumWeight;
    const smoothNoise = sumVariance / sumWeight / (sumWeight / seen);
    if (own <= 0) return { smooth, smoothNoise, detail: 0, own };
    const diff = ownValue - smooth;
    const noise = this.observationVariance(own, ownVariance, fallbackVariance, fallbackWeight) / own;
    const share = keepShare(diff, noise, this.knobs.detailSignificance) * repeatShare(own);
    return { smooth, smoothNoise, detail: diff * share, own };
  }
}
