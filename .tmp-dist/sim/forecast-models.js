/**
 * Forecast models compared by `bountybot forecast`. Every model sees the trace one bin at a
 * time (`observe`, consecutive bins on a regular grid) and, at a bin boundary t, forecasts the
 * mean arrival rate per minute over [t, t+H) from the bins it has seen, i.e. data before t.
 *
 * The naive baselines keep prefix sums, so a forecast costs O(1) whatever the window.
 * Where a baseline has no data for its rule yet it falls back (documented per model) and
 * counts the forecasts it made that way.
 */
import { WorkloadPredictor } from '../autoscaling/predictor.js';
import { HoltWintersModel } from './forecast-holt-winters.js';
import { OriginalWorkloadPredictor } from './original-forecaster.js';
/** Observed per-bin rates with prefix sums: the shared memory of the naive baselines. */
export class RateHistory {
    rates = [];
    prefix = [0];
    get length() {
        return this.rates.length;
    }
    push(rate) {
        this.rates.push(rate);
        this.prefix.push((this.prefix[this.prefix.length - 1] ?? 0) + rate);
    }
    at(i) {
        return this.rates[i] ?? 0;
    }
    /** Sum of rates of bins [from, to). */
    sum(from, to) {
        return (this.prefix[to] ?? 0) - (this.prefix[from] ?? 0);
    }
}
/** Bins covered by `minutes` (at least 1). */
function binsIn(minutes, binMinutes) {
    return Math.max(1, Math.round(minutes / binMinutes));
}
class HistoryModel {
    ctx;
    history = new RateHistory();
    fallbacks = 0;
    constructor(ctx) {
        this.ctx = ctx;
    }
    observe(_binStartMs, ratePerMinute) {
        this.history.push(ratePerMinute);
    }
}
/** The latest bin's rate, for the whole window (0 before any bin). */
export class LastValueModel extends HistoryModel {
    name = 'last-value';
    description = "the latest bin's rate";
    predictMean() {
        const n = this.history.length;
        return n === 0 ? 0 : this.history.at(n - 1);
    }
}
/** Mean rate of the latest `windowMinutes` (fewer bins while the history is shorter). */
export class MovingAverageModel extends HistoryModel {
    name = 'moving-average';
    description;
    windowBins;
    constructor(ctx, windowMinutes = 60) {
        super(ctx);
        this.windowBins = binsIn(windowMinutes, ctx.binMinutes);
        this.description = `mean rate of the last ${windowMinutes} min`;
    }
    predictMean() {
        const n = this.history.length;
        if (n === 0)
            return 0;
        const from = Math.max(0, n - this.windowBins);
        return this.history.sum(from, n) / (n - from);
    }
}
/**
 * Seasonal naive: each bin of the window is forecast by the bin one period earlier (for a
 * window longer than the period, by the latest observed bin of the same phase). Until one
 * period of history exists it uses `fallback`.
 */
export class SeasonalNaiveModel extends HistoryModel {
    fallback;
    name;
    description;
    periodBins;
    constructor(ctx, name, periodMinutes, fallback, fallbackLabel) {
        super(ctx);
        this.fallback = fallback;
        this.name = name;
        this.periodBins = binsIn(periodMinutes, ctx.binMinutes);
        const period = periodMinutes % 1440 === 0 ? `${periodMinutes / 1440} d` : `${periodMinutes} min`;
        this.description = `the same window ${period} earlier (until ${period} of history exist: ${fallbackLabel})`;
    }
    observe(binStartMs, ratePerMinute) {
        super.observe(binStartMs, ratePerMinute);
        this.fallback.observe(binStartMs, ratePerMinute);
    }
    predictMean(tMs, horizonMinutes) {
        const n = this.history.length;
        const p = this.periodBins;
        if (n < p) {
            this.fallbacks += 1;
            return this.fallback.predictMean(tMs, horizonMinutes);
        }
        const k = binsIn(horizonMinutes, this.ctx.binMinutes);
        // Window offsets [c·p, (c+1)·p) all map onto bins [n − p, n − p + len) of the last period.
        let sum = 0;
        for (let done = 0; done < k; done += p) {
            const len = Math.min(p, k - done);
            sum += this.history.sum(n - p, n - p + len);
        }
        return sum / k;
    }
}
/** WorkloadPredictor (ours), each bin fed as a sample stamped at the bin's end. */
export class BountybotModel {
    name = 'bountybot';
    description = 'WorkloadPredictor (src/autoscaling/predictor.ts), forecastMeanRate(0, H)';
    fallbacks = 0;
    predictor;
    binMs;
    constructor(ctx, options = {}) {
        this.predictor = new WorkloadPredictor(options);
        this.binMs = ctx.binMinutes * 60_000;
    }
    observe(binStartMs, ratePerMinute) {
        this.predictor.addSample({
            timestamp: new Date(binStartMs + this.binMs),
            validationsPerMinute: ratePerMinute,
            queueDepth: 0,
            avgLatencySeconds: 0,
            activeWorkers: 0,
        });
    }
    predictMean(_tMs, horizonMinutes) {
        return this.predictor.forecastMeanRate(0, horizonMinutes);
    }
}
/**
 * The seed's v2.9.0 predictor (original-forecaster.ts). Its predict(H) is documented as the
 * workload "for the next H minutes", so it is scored as that window's mean.
 */
export class OriginalModel {
    name = 'original';
    description = "the seed's v2.9.0 forecaster: 0.4·(last + slope·H) + 0.3·hour/day means + 0.3·EMA(0.3)";
    fallbacks = 0;
    predictor = new OriginalWorkloadPredictor();
    binMs;
    constructor(ctx) {
        this.binMs = ctx.binMinutes * 60_000;
    }
    observe(binStartMs, ratePerMinute) {
        this.predictor.addSample({
            timestamp: new Date(binStartMs + this.binMs),
            validationsPerMinute: ratePerMinute,
            queueDepth: 0,
            avgLatencySeconds: 0,
            activeWorkers: 0,
        });
    }
    predictMean(tMs, horizonMinutes) {
        return this.predictor.predict(horizonMinutes, new Date(tMs)).predictedValidationsPerMinute;
    }
}
export const HOLT_WINTERS_DEFAULTS = { alpha: 0.2, beta: 0.01, gamma: 0.2, seasonMinutes: 1440 };
/** Every model of `bountybot forecast`, in table order. */
export const FORECAST_MODELS = [
    ['bountybot', (ctx) => new BountybotModel(ctx)],
    ['last-value', (ctx) => new LastValueModel(ctx)],
    ['moving-average', (ctx) => new MovingAverageModel(ctx, 60)],
    ['seasonal-naive-daily', (ctx) => dailyNaive(ctx)],
    [
        'seasonal-naive-weekly',
        (ctx) => new SeasonalNaiveModel(ctx, 'seasonal-naive-weekly', 7 * 1440, dailyNaive(ctx), 'seasonal-naive-daily'),
    ],
    ['holt-winters', (ctx) => new HoltWintersModel(ctx, HOLT_WINTERS_DEFAULTS, new LastValueModel(ctx))],
    ['original', (ctx) => new OriginalModel(ctx)],
];
export const FORECAST_MODEL_NAMES = FORECAST_MODELS.map(([name]) => name);
/** Fresh instances of the named models (all by default); throws RangeError on an unknown name. */
export function createForecastModels(ctx, names = FORECAST_MODEL_NAMES) {
    return names.map((name) => {
        const entry = FORECAST_MODELS.find(([n]) => n === name);
        if (entry === undefined)
            throw new RangeError(`unknown forecast model "${name}"; known: ${FORECAST_MODEL_NAMES.join(', ')}`);
        return entry[1](ctx);
    });
}
function dailyNaive(ctx) {
    return new SeasonalNaiveModel(ctx, 'seasonal-naive-daily', 1440, new LastValueModel(ctx), 'last-value');
}
//# sourceMappingURL=forecast-models.js.map