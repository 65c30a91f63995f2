/**
 * Small numeric helpers shared by the simulator and its reports.
 * Percentiles use the nearest-rank definition: the p-th percentile of n sorted values is the
 * value at rank ceil(p/100 × n) (1-based); it is always one of the observed values.
 */
/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export declare function nearestRank(sorted: ArrayLike<number>, p: number): number;
/**
 * Nearest-rank percentile of the first `n` values of `values`, reordering them in place
 * (Hoare quickselect; O(n), no allocation). NaN when n is 0.
 */
export declare function selectPercentile(values: Float64Array, n: number, p: number): number;
/** Median of the values (mean of the two middle ones for even counts); NaN when empty. */
export declare function median(values: readonly number[]): number;
