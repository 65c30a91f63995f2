/**
 * Latency of ScalingEngine.makeDecision with a full forecaster: 10,000 one-minute samples of a
 * daily-cycle workload first, then timed decisions, each one evaluation interval (15 s) later
 * with a fresh sample every fourth call, as a live controller would make them.
 */
import { ScalingEngine } from '../autoscaling/engine.js';
function metricsAt(ms, i) {
    const minute = ms / 60_000;
    const rate = 60 + 40 * Math.sin((minute * 2 * Math.PI) / 1440) + ((i * 7919) % 13);
    return {
        timestamp: new Date(ms),
        queueDepth: (i * 31) % 40,
        validationsPerMinute: rate,
        arrivalsPerMinute: rate,
        avgLatencySeconds: 25,
        activeWorkers: 20 + (i % 10),
        currentCostPerHour: 40,
    };
}
function percentile(sorted, p) {
    const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
    return sorted[idx] ?? Number.NaN;
}
export function runEngineBench(opts = {}) {
    const samples = opts.samples ?? 10_000;
    const decisions = opts.decisions ?? 5_000;
    const warmup = opts.warmup ?? 500;
    const start = Date.UTC(2024, 0, 1);
    let now = start;
    const engine = new ScalingEngine({ historySize: samples, minWorkers: 1, maxWorkers: 200 }, { clock: () => new Date(now) });
    for (let i = 0; i < samples; i++) {
        now = start + i * 60_000;
        engine.addMetrics(metricsAt(now, i));
    }
    const times = new Float64Array(decisions);
    for (let i = 0; i < warmup + decisions; i++) {
        now += 15_000;
        const m = metricsAt(now, i);
        if (i % 4 === 0)
            engine.addMetrics(m);
        const t0 = process.hrtime.bigint();
        engine.makeDecision(m);
        const dt = Number(process.hrtime.bigint() - t0) / 1000;
        if (i >= warmup)
            times[i - warmup] = dt;
    }
    let sum = 0;
    for (const t of times)
        sum += t;
    const sorted = times.slice().sort();
    const r = {
        samples, decisions,
        p50Micros: percentile(sorted, 0.5), p99Micros: percentile(sorted, 0.99),
        meanMicros: sum / decisions, maxMicros: sorted[sorted.length - 1] ?? Number.NaN,
    };
    const markdown = [
        `ScalingEngine.makeDecision after ${samples.toLocaleString('en-US')} one-minute samples (historySize ${samples}); ` +
            `${decisions.toLocaleString('en-US')} timed decisions 15 s apart after ${warmup} warm-up ones, a new sample every 4th.`,
        '',
        '| p50 | p99 | mean | max |',
        '| ---: | ---: | ---: | ---: |',
        `| ${r.p50Micros.toFixed(1)} µs | ${r.p99Micros.toFixed(1)} µs | ${r.meanMicros.toFixed(1)} µs | ${r.maxMicros.toFixed(1)} µs |`,
    ].join('\n');
    return { ...r, markdown };
}
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
    process.stdout.write(`${runEngineBench().markdown}\n`);
}
//# sourceMappingURL=engine-bench.js.map