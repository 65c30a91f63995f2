/**
 * The seed's v2.9.0 workload predictor, reimplemented from its published description so it can
 * be back-tested: forecast = 0.4 × (last + slope × horizon) + 0.3 × hour/day pattern means
 * + 0.3 × EMA(α = 0.3). Behaviour kept on purpose, including its quirks:
 * - the slope is a least-squares fit over the last 60 samples *per sample index*, multiplied
 *   by the horizon in minutes (right only for one sample per minute);
 * - the pattern means keep the last 100 samples per hour of day and 50 per weekday;
 * - with fewer than 10 samples it returns the latest sample (confidence 0.3).
 * One deliberate change: the original looks patterns up by the *wall clock*; here the caller
 * passes `now` (the simulation or walk-forward clock), which is what makes back-testing possible.
 */
const RECENT = 60;
const HOURLY_KEEP = 100;
const DAILY_KEEP = 50;
export class OriginalWorkloadPredictor {
    historySize;
    samples = [];
    hourly = Array.from({ length: 24 }, () => []);
    daily = Array.from({ length: 7 }, () => []);
    constructor(historySize = 1000) {
        this.historySize = historySize;
    }
    get sampleCount() {
        return this.samples.length;
    }
    addSample(s) {
        this.samples.push(s);
        if (this.samples.length > this.historySize)
            this.samples.shift();
        const hour = this.hourly[s.timestamp.getUTCHours()];
        const day = this.daily[(s.timestamp.getUTCDay() + 6) % 7];
        if (hour) {
            hour.push(s.validationsPerMinute);
            if (hour.length > HOURLY_KEEP)
                hour.shift();
        }
        if (day) {
            day.push(s.validationsPerMinute);
            if (day.length > DAILY_KEEP)
                day.shift();
        }
    }
    /** Forecast of the rate `horizonMinutes` after `now` (the caller's clock). */
    predict(horizonMinutes, now) {
        const n = this.samples.length;
        const latest = this.samples[n - 1];
        if (n < 10 || !latest) {
            return {
                predictedValidationsPerMinute: latest?.validationsPerMinute ?? 0,
                predictedQueueDepth: latest?.queueDepth ?? 0,
                confidence: latest ? 0.3 : 0,
                timeHorizonMinutes: horizonMinutes,
            };
        }
        const recent = this.samples.slice(-RECENT);
        const rates = recent.map((s) => s.validationsPerMinute);
        const last = rates[rates.length - 1] ?? 0;
        const predicted = 0.4 * (last + slopePerIndex(rates) * horizonMinutes) +
            0.3 * this.patternMean(new Date(now.getTime() + horizonMinutes * 60_000)) +
            0.3 * ema(rates, 0.3);
        const currentQueue = latest.queueDepth;
        const last10 = rates.slice(-10);
        const avgRate = last10.reduce((a, b) => a + b, 0) / last10.length;
        const predictedQueue = avgRate > 0
            ? Math.max(0, Math.trunc(currentQueue + (predicted - avgRate) * horizonMinutes))
            : currentQueue;
        return {
            predictedValidationsPerMinute: Math.max(0, predicted),
            predictedQueueDepth: predictedQueue,
            confidence: this.confidence(rates, latest, now),
            timeHorizonMinutes: horizonMinutes,
        };
    }
    /** 0.7 × hour-of-day mean + 0.3 × weekday mean, falling back to whichever is positive. */
    patternMean(at) {
        const h = mean(this.hourly[at.getUTCHours()] ?? []);
        const d = mean(this.daily[(at.getUTCDay() + 6) % 7] ?? []);
        if (h > 0 && d > 0)
            return 0.7 * h + 0.3 * d;
        if (h > 0)
            return h;
        if (d > 0)
            return d;
        return 0;
    }
    confidence(rates, latest, now) {
        const size = Math.min(0.4, rates.length / 100);
        const m = mean(rates);
        let variance = 0.2;
        if (m > 0) {
            const v = rates.reduce((a, r) => a + (r - m) * (r - m), 0) / rates.length;
            variance = Math.max(0, 0.4 - (Math.sqrt(v) / m) * 0.2);
        }
        const age = (now.getTime() - latest.timestamp.getTime()) / 1000;
        const recency = Math.max(0, 0.2 - age / 600);
        return Math.min(1, Math.max(0, size + variance + recency));
    }
}
function mean(xs) {
    if (xs.length === 0)
        return 0;
    let s = 0;
    for (const x of xs)
        s += x;
    return s / xs.length;
}
/** Least-squares slope of ys against 0, 1, 2 … (numpy.polyfit(x, y, 1)[0]). */
export function slopePerIndex(ys) {
    const n = ys.length;
    if (n < 2)
        return 0;
    const mx = (n - 1) / 2;
    const my = mean(ys);
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
        num += (i - mx) * ((ys[i] ?? 0) - my);
        den += (i - mx) * (i - mx);
    }
    return den > 0 ? num / den : 0;
}
/** Exponential moving average seeded with the first value. */
export function ema(ys, alpha) {
    if (ys.length === 0)
        return 0;
    let e = ys[0] ?? 0;
    for (let i = 1; i < ys.length; i++)
        e = alpha * (ys[i] ?? 0) + (1 - alpha) * e;
    return e;
}
//# sourceMappingURL=original-forecaster.js.map