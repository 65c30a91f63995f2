export class SqliteMetricsSource {
    store;
    windowMs;
    rateWindowMs;
    constructor(store, opts) {
        this.store = store;
        if (!(opts.windowMs > 0))
            throw new RangeError(`windowMs must be > 0; got ${String(opts.windowMs)}`);
        this.windowMs = opts.windowMs;
        this.rateWindowMs = opts.rateWindowMs ?? Math.min(60_000, opts.windowMs);
        if (!(this.rateWindowMs > 0))
            throw new RangeError(`rateWindowMs must be > 0; got ${String(this.rateWindowMs)}`);
    }
    async read(now) {
        const s = await this.store.queue.windowStats(this.windowMs, this.rateWindowMs);
        const w = this.store.workerCounts();
        const perMinute = 60_000 / this.rateWindowMs;
        const ended = s.windowCompleted + s.windowFailed;
        return {
            timestamp: now,
            queueDepth: s.waiting,
            inFlight: s.inFlight,
            arrivalsPerMinute: s.arrivals * perMinute,
            validationsPerMinute: s.completions * perMinute,
            // 0 = not measured yet; the engine then assumes its default service time.
            avgLatencySeconds: s.avgLatencySeconds ?? 0,
            activeWorkers: w.starting + w.ready,
            readyWorkers: w.ready,
            oldestWaitSeconds: s.oldestWaitSeconds,
            ...(s.p95LatencySeconds !== undefined ? { p95LatencySeconds: s.p95LatencySeconds } : {}),
            ...(ended > 0 ? { successRate: s.windowCompleted / ended } : {}),
        };
    }
}
//# sourceMappingURL=sqlite-metrics-source.js.map