/**
 * Small numeric helpers shared by the simulator and its reports.
 * Percentiles use the nearest-rank definition: the p-th percentile of n sorted values is the
 * value at rank ceil(p/100 × n) (1-based); it is always one of the observed values.
 */
/** Nearest-rank percentile of an ascending-sorted array; NaN when empty. */
export function nearestRank(sorted, p) {
    const n = sorted.length;
    if (n === 0)
        return Number.NaN;
    const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
    return sorted[rank - 1] ?? Number.NaN;
}
/**
 * Nearest-rank percentile of the first `n` values of `values`, reordering them in place
 * (Hoare quickselect; O(n), no allocation). NaN when n is 0.
 */
export function selectPercentile(values, n, p) {
    if (n <= 0)
        return Number.NaN;
    const k = Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
        const pivot = values[(lo + hi) >>> 1] ?? 0;
        let i = lo;
        let j = hi;
        while (i <= j) {
            while ((values[i] ?? 0) < pivot)
                i++;
            while ((values[j] ?? 0) > pivot)
                j--;
            if (i <= j) {
                const t = values[i] ?? 0;
                values[i] = values[j] ?? 0;
                values[j] = t;
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return values[k] ?? Number.NaN;
}
/** Median of the values (mean of the two middle ones for even counts); NaN when empty. */
export function median(values) {
    if (values.length === 0)
        return Number.NaN;
    const s = [...values].sort((x, y) => x - y);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}
//# sourceMappingURL=stats.js.map