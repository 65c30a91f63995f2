/** Bad evaluation settings (horizon, a trace too short); the CLI turns it into exit code 2. */
export class ForecastSetupError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ForecastSetupError';
    }
}
/**
 * Puts the trace on its detected bin grid: each row's arrivals go to the grid bin containing
 * its start (rows closer together than the bin width are merged; a hole stays 0).
 */
export function binTrace(trace) {
    const binMs = trace.binSeconds * 1000;
    const n = Math.max(1, Math.ceil(trace.endMs / binMs - 1e-9));
    const counts = new Float64Array(n);
    for (let i = 0; i < trace.counts.length; i++) {
        const idx = Math.min(n - 1, Math.floor((trace.binStartMs[i] ?? 0) / binMs + 1e-9));
        counts[idx] = (counts[idx] ?? 0) + (trace.counts[i] ?? 0);
    }
    return { source: trace.source, originMs: trace.startMs, binMinutes: trace.binSeconds / 60, counts };
}
export function formatMinutes(minutes) {
    return Number.isInteger(minutes) ? `${minutes}` : minutes.toFixed(3).replace(/0+$/, '');
}
/** Bins per horizon; throws ForecastSetupError unless H is a positive multiple of the bin width. */
export function horizonBins(horizonMinutes, binMinutes) {
    if (!Number.isFinite(horizonMinutes) || horizonMinutes <= 0) {
        throw new ForecastSetupError(`--horizon-minutes must be a number > 0; got ${String(horizonMinutes)}`);
    }
    const k = horizonMinutes / binMinutes;
    const rounded = Math.round(k);
    if (rounded < 1 || Math.abs(k - rounded) > 1e-9 * Math.max(1, k)) {
        throw new ForecastSetupError(`--horizon-minutes must be a multiple of the trace's bin width (${formatMinutes(binMinutes)} min); got ${formatMinutes(horizonMinutes)}`);
    }
    return rounded;
}
/** First scored boundary (bin index): the first at or after min(24 h, 25 % of the trace). */
export function scoringStartBin(bins, binMinutes) {
    const startMinutes = Math.min(1440, 0.25 * bins * binMinutes);
    return Math.ceil(startMinutes / binMinutes - 1e-9);
}
export function evaluateForecasts(series, opts) {
    const started = performance.now();
    const { binMinutes, counts, originMs } = series;
    const binMs = binMinutes * 60_000;
    const n = counts.length;
    const k = horizonBins(opts.horizonMinutes, binMinutes);
    const j0 = scoringStartBin(n, binMinutes);
    const windows = Math.max(0, n - k - j0 + 1);
    if (windows === 0) {
        throw new ForecastSetupError(`${series.source}: no window to score: the trace has ${n} bins of ${formatMinutes(binMinutes)} min, scoring starts at bin ${j0} ` +
            `(min(24 h, 25 % of the trace)) and each window needs ${k} bins (--horizon-minutes ${formatMinutes(opts.horizonMinutes)})`);
    }
    const prefix = new Float64Array(n + 1);
    for (let i = 0; i < n; i++)
        prefix[i + 1] = (prefix[i] ?? 0) + (counts[i] ?? 0);
    const models = opts.models;
    const absErr = new Float64Array(models.length);
    const pctErr = new Float64Array(models.length);
    const fallbacksBefore = models.map((m) => m.fallbacks);
    const keep = opts.keepPredictionsOf === undefined ? -1 : models.findIndex((m) => m.name === opts.keepPredictionsOf);
    const kept = keep < 0 ? undefined : {
        model: opts.keepPredictionsOf ?? '',
        tMs: new Float64Array(windows), actual: new Float64Array(windows), predicted: new Float64Array(windows),
    };
    let actualSum = 0;
    let nonZero = 0;
    let w = 0;
    for (let j = 0; j <= n; j++) {
        if (j >= j0 && j + k <= n) {
            const tMs = originMs + j * binMs;
            const actual = ((prefix[j + k] ?? 0) - (prefix[j] ?? 0)) / opts.horizonMinutes;
            actualSum += actual;
            if (actual > 0)
                nonZero += 1;
            for (let m = 0; m < models.length; m++) {
                const f = models[m]?.predictMean(tMs, opts.horizonMinutes) ?? 0;
                const err = Math.abs(actual - f);
                absErr[m] = (absErr[m] ?? 0) + err;
                if (actual > 0)
                    pctErr[m] = (pctErr[m] ?? 0) + err / actual;
                if (m === keep && kept !== undefined) {
                    kept.tMs[w] = tMs;
                    kept.actual[w] = actual;
                    kept.predicted[w] = f;
                }
            }
            w += 1;
        }
        if (j < n) {
            const rate = (counts[j] ?? 0) / binMinutes;
            for (const model of models)
                model.observe(originMs + j * binMs, rate);
        }
    }
    let naiveSum = 0;
    for (let i = j0 + 1; i < n; i++)
        naiveSum += Math.abs((counts[i] ?? 0) - (counts[i - 1] ?? 0)) / binMinutes;
    const maseScale = n - j0 - 1 > 0 ? naiveSum / (n - j0 - 1) : 0;
    const scores = models.map((model, m) => {
        const wape = actualSum > 0 ? (absErr[m] ?? 0) / actualSum : null;
        return {
            model: model.name,
            wape,
            mape: nonZero > 0 ? (pctErr[m] ?? 0) / nonZero : null,
            mase: maseScale > 0 ? (absErr[m] ?? 0) / windows / maseScale : null,
            accuracy: wape === null ? null : 1 - wape,
            n: windows,
            fallbacks: model.fallbacks - (fallbacksBefore[m] ?? 0),
        };
    });
    return {
        source: series.source, binMinutes, bins: n, horizonMinutes: opts.horizonMinutes, horizonBins: k,
        firstWindowMs: originMs + j0 * binMs, lastWindowMs: originMs + (j0 + windows - 1) * binMs, windows, maseScale,
        scores, ...(kept !== undefined ? { predictions: kept } : {}), wallMs: performance.now() - started,
    };
}
//# sourceMappingURL=forecast-eval.js.map