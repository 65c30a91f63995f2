/**
 * Seeded pseudo-random numbers for the simulator (never Math.random): xoshiro128** seeded
 * through splitmix32, so a run is reproducible from `--seed` alone.
 */
export declare class Prng {
    private a;
    private b;
    private c;
    private d;
    private spareNormal;
    /**
     * @param seed any integer (the user's `--seed`)
     * @param stream independent stream id: arrivals and service times use different streams so
     *   changing one input does not shift the other's random numbers.
     */
    constructor(seed: number, stream?: number);
    /** Next 32-bit unsigned integer (xoshiro128**). */
    nextUint32(): number;
    /** Uniform in [0, 1) with 32 bits of resolution. */
    next(): number;
    /** Standard normal (Box–Muller, both values used). */
    normal(): number;
}
/** Lognormal parameters (of the underlying normal) for a given mean and coefficient of variation. */
export declare function lognormalParams(mean: number, cv: number): {
    mu: number;
    sigma: number;
};
