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
export interface ProfileState {
    value: Float64Array;
    /** Observations behind each slot's mean (fractional for part-observed slots), capped at the memory. */
    weight: Float64Array;
    /** Variance of a slot's observations around its mean. */
    variance: Float64Array;
    /** Variance of observations around their slot means, pooled over all slots. */
    pooledVariance: number;
    pooledWeight: number;
}
export interface SlotEstimate {
    smooth: number;
    smoothNoise: number;
    detail: number;
    /** The slot's own weight (0 = only neighbours seen). */
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
export declare function emptyProfile(slots: number): ProfileState;
/**
 * Share of a deviation `d` to keep when its noise variance is `noise`: nothing unless it stands out
 * (d² > significance × noise), then the James-Stein share 1 − noise/d².
 */
export declare function keepShare(d: number, noise: number, significance: number): number;
export declare class SeasonalProfile {
    readonly state: ProfileState;
    private readonly knobs;
    constructor(state: ProfileState, knobs: ProfileKnobs);
    /** Folds one observation (mean rate over the slot) with `weight` in (0, 1] into slot i. */
    observe(i: number, observation: number, weight: number): void;
    /** Variance of one observation of slot i: its own, blended with the pooled (or `fallback`) one. */
    observationVariance(i: number, fallbackVariance: number, fallbackWeight: number): number;
    /**
     * Slot i, denoised: `smooth` is the evidence-weighted mean of its neighbourhood (± smoothingSlots)
     * and `smoothNoise` its variance as a forecast (neighbouring slots move together from one period
     * to the next, so averaging them does not shrink it); `detail` is the slot's own deviation from
     * `smooth`, kept only as far as it stands out from the slot's noise. Null when nothing is nearby.
     */
    estimate(i: number, fallbackVariance?: number, fallbackWeight?: number): SlotEstimate | null;
}
