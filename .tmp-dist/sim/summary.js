export function summarize(x) {
    const n = x.arrivalMs.length;
    const sloMs = x.sloSeconds * 1000;
    const latencies = new Float64Array(x.completed);
    let k = 0;
    let withinSlo = 0;
    for (let j = 0; j < n; j++) {
        const end = x.endMs[j] ?? Number.NaN;
        if (Number.isNaN(end))
            continue;
        const l = end - (x.arrivalMs[j] ?? 0);
        latencies[k++] = l;
        if (l <= sloMs)
            withinSlo++;
    }
    latencies.sort();
    const pct = (p) => {
        if (k === 0)
            return 0;
        const rank = Math.min(k, Math.max(1, Math.ceil((p / 100) * k)));
        return (latencies[rank - 1] ?? 0) / 1000;
    };
    const workerHours = x.paidMs / 3_600_000;
    return {
        policy: x.policy,
        jobs: n,
        completed: x.completed,
        lost: n - x.completed,
        cost: workerHours * x.costPerWorkerHour,
        workerHours,
        utilization: x.paidMs > 0 ? x.busyMs / x.paidMs : 0,
        latencySeconds: { p50: pct(50), p95: pct(95), p99: pct(99), max: k > 0 ? (latencies[k - 1] ?? 0) / 1000 : 0 },
        sloSeconds: x.sloSeconds,
        sloAttainment: n > 0 ? withinSlo / n : 1,
        scaleActions: x.scaleActions,
        peakWorkers: x.peakWorkers,
        meanWorkers: x.stopMs > 0 ? x.paidMs / x.stopMs : 0,
    };
}
//# sourceMappingURL=summary.js.map