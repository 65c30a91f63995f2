/**
 * Walk-forward forecast accuracy of the predictor on a `timestamp,count` trace, against naive
 * baselines. At each bin boundary t, after feeding every bin that ends by t (stamped at its end,
 * rate = count per minute), each method forecasts the mean rate over [t, t+H). Scored after the
 * first 25 % of the trace (and at least 24 h when the trace is longer than two days).
 * WAPE = Σ|actual − forecast| / Σ actual.
 *
 *   npx tsx src/bench/forecast-quick.ts [trace.csv] [horizonMinutes] ['{"levelMinutes":10}']
 */
import { readFileSync } from 'node:fs';
import { WorkloadPredictor } from '../autoscaling/predictor.js';
export function readTrace(path) {
    const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1);
    const rows = lines.map((line) => {
        const [ts, count] = line.split(',');
        return { startMs: Date.parse(ts ?? ''), count: Number(count) };
    });
    const first = rows[0];
    const second = rows[1];
    if (first === undefined || second === undefined)
        throw new Error(`${path}: fewer than two rows`);
    const binMinutes = (second.startMs - first.startMs) / 60_000;
    return { bins: rows.map((r) => ({ startMs: r.startMs, rate: r.count / binMinutes })), binMinutes };
}
export function walkForward(bins, binMinutes, horizonMinutes, options = {}) {
    const steps = Math.max(1, Math.round(horizonMinutes / binMinutes));
    const perDay = Math.round(1440 / binMinutes);
    const perWeek = perDay * 7;
    const spanBins = bins.length;
    const minStart = Math.max(Math.ceil(spanBins * 0.25), spanBins * binMinutes > 2 * 1440 ? perDay : 0);
    const predictor = new WorkloadPredictor({ historySize: 1000, ...options });
    const meanRate = (from, n) => {
        if (from < 0 || from + n > spanBins)
            return null;
        let sum = 0;
        for (let j = from; j < from + n; j++)
            sum += bins[j]?.rate ?? 0;
        return sum / n;
    };
    const errors = { ours: 0, 'last-value': 0, 'seasonal-naive-daily': 0, 'seasonal-naive-weekly': 0 };
    let actualSum = 0;
    let scored = 0;
    for (let i = 0; i < spanBins; i++) {
        const bin = bins[i];
        if (bin === undefined)
            break;
        predictor.addSample({
            timestamp: new Date(bin.startMs + binMinutes * 60_000),
            validationsPerMinute: bin.rate, queueDepth: 0, avgLatencySeconds: 1, activeWorkers: 1,
        });
        const t = i + 1; // forecast bins t … t+steps−1
        if (t < minStart || t + steps > spanBins)
            continue;
        const actual = meanRate(t, steps) ?? 0;
        const daily = meanRate(t - perDay, steps) ?? bin.rate;
        const forecasts = {
            ours: predictor.forecastMeanRate(0, horizonMinutes),
            'last-value': bin.rate,
            'seasonal-naive-daily': daily,
            'seasonal-naive-weekly': meanRate(t - perWeek, steps) ?? daily,
        };
        for (const [name, f] of Object.entries(forecasts))
            errors[name] = (errors[name] ?? 0) + Math.abs(actual - f);
        actualSum += actual;
        scored += 1;
    }
    return { rows: Object.entries(errors).map(([method, e]) => ({ method, wape: e / actualSum })), scored };
}
if (import.meta.url === `file://${process.argv[1]}`) {
    const path = process.argv[2] ?? '/work/shared/traces/nasa-http-jul1995-1min.csv';
    const horizon = Number(process.argv[3] ?? 5);
    const options = JSON.parse(process.argv[4] ?? '{}');
    const { bins, binMinutes } = readTrace(path);
    const started = performance.now();
    const { rows, scored } = walkForward(bins, binMinutes, horizon, options);
    const ours = rows.find((r) => r.method === 'ours')?.wape ?? NaN;
    const daily = rows.find((r) => r.method === 'seasonal-naive-daily')?.wape ?? NaN;
    console.log(`${path.split('/').pop()} H=${horizon} min, ${scored} points scored, ${(performance.now() - started).toFixed(0)} ms`);
    for (const r of rows)
        console.log(`  ${r.method.padEnd(22)} WAPE ${(r.wape * 100).toFixed(2)} %`);
    console.log(`  ours vs seasonal-naive-daily: ${((1 - ours / daily) * 100).toFixed(1)} % better`);
}
//# sourceMappingURL=forecast-quick.js.map