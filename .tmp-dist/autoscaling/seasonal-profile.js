/**
 * One seasonal profile: a fixed array of slots (2016 for the week, 288 for the day), each holding
 * an exponentially-weighted mean of the slot's observations (one observation = the mean rate over
 * the slot's 5 minutes in one week or day), its weight in observations, and the variance between
 * observations. Memory is fixed by the slot count, whatever the number of samples.
 *
 * `estimate` denoises a slot: the evidence-weighted mean of its neighbourhood, plus the slot's own
 * deviation from it only where that deviation stands out from the slot's measured variability
 * (positive-part James-Stein). So a sharp, repeated spike keeps its height while noise is smoothed.
 */
/** Pooled variance remembers about this many slot observations. */
const POOLED_MEMORY = 2016;
export function emptyProfile(slots) {
    return {
        value: new Float64Array(slots),
        weight: new Float64Array(slots),
        variance: new Float64Array(slots),
        pooledVariance: 0,
        pooledWeight: 0,
    };
}
/**
 * Share of a deviation `d` to keep when its noise variance is `noise`: nothing unless it stands out
 * (d² > significance × noise), then the James-Stein share 1 − noise/d².
 */
export function keepShare(d, noise, significance) {
    const d2 = d * d;
    return d2 <= significance * noise || d2 === 0 ? 0 : 1 - noise / d2;
}
export class SeasonalProfile {
    state;
    knobs;
    constructor(state, knobs) {
        this.state = state;
        this.knobs = knobs;
    }
    /** Folds one observation (mean rate over the slot) with `weight` in (0, 1] into slot i. */
    observe(i, observation, weight) {
        const s = this.state;
        const w = s.weight[i] ?? 0;
        const v = s.value[i] ?? 0;
        const g = weight / (w + weight);
        if (w > 0) {
            const dev2 = (observation - v) * (observation - v);
            s.variance[i] = (s.variance[i] ?? 0) + g * (dev2 - (s.variance[i] ?? 0));
            const pg = weight / (s.pooledWeight + weight);
            s.pooledVariance += pg * (dev2 - s.pooledVariance);
            s.pooledWeight = Math.min(s.pooledWeight + weight, POOLED_MEMORY);
        }
        s.value[i] = v + g * (observation - v);
        s.weight[i] = Math.min(w + weight, this.knobs.memory);
    }
    /** Variance of one observation of slot i: its own, blended with the pooled (or `fallback`) one. */
    observationVariance(i, fallbackVariance, fallbackWeight) {
        const s = this.state;
        const prior = (s.pooledVariance * s.pooledWeight + fallbackVariance * fallbackWeight) / Math.max(s.pooledWeight + fallbackWeight, 1e-12);
        const own = s.weight[i] ?? 0;
        const k = this.knobs.variancePrior;
        return ((s.variance[i] ?? 0) * own + prior * k) / (own + k);
    }
    /**
     * Slot i, denoised: `smooth` is the evidence-weighted mean of its neighbourhood (± smoothingSlots)
     * and `smoothNoise` its variance as a forecast (neighbouring slots move together from one period
     * to the next, so averaging them does not shrink it); `detail` is the slot's own deviation from
     * `smooth`, kept only as far as it stands out from the slot's noise. Null when nothing is nearby.
     */
    estimate(i, fallbackVariance = 0, fallbackWeight = 0) {
        const s = this.state;
        const n = s.value.length;
        const half = this.knobs.smoothingSlots;
        let sumWeight = 0;
        let sumValue = 0;
        let sumVariance = 0;
        let seen = 0;
        for (let j = -half; j <= half; j++) {
            const at = (((i + j) % n) + n) % n;
            const w = s.weight[at] ?? 0;
            if (w > 0) {
                sumWeight += w;
                sumValue += w * (s.value[at] ?? 0);
                sumVariance += w * this.observationVariance(at, fallbackVariance, fallbackWeight);
                seen += 1;
            }
        }
        if (sumWeight <= 0)
            return null;
        const smooth = sumValue / sumWeight;
        const smoothNoise = sumVariance / sumWeight / (sumWeight / seen);
        const own = s.weight[i] ?? 0;
        if (own <= 0)
            return { smooth, smoothNoise, detail: 0, own };
        const diff = (s.value[i] ?? 0) - smooth;
        const noise = this.observationVariance(i, fallbackVariance, fallbackWeight) / own;
        return { smooth, smoothNoise, detail: diff * keepShare(diff, noise, this.knobs.detailSignificance), own };
    }
}
//# sourceMappingURL=seasonal-profile.js.map