export class HoltWintersModel {
    ctx;
    p;
    fallback;
    name = 'holt-winters';
    description;
    fallbacks = 0;
    m;
    season;
    /** Bins observed so far; bin i has season slot i mod m. */
    count = 0;
    firstSeasonSum = 0;
    level = 0;
    trend = 0;
    ready = false;
    constructor(ctx, p, fallback) {
        this.ctx = ctx;
        this.p = p;
        this.fallback = fallback;
        for (const key of ['alpha', 'beta', 'gamma']) {
            const v = p[key];
            if (!(v >= 0 && v <= 1))
                throw new RangeError(`holt-winters ${key} must be within [0, 1]; got ${String(v)}`);
        }
        this.m = Math.max(1, Math.round(p.seasonMinutes / ctx.binMinutes));
        this.season = new Float64Array(this.m);
        this.description = `additive, season ${p.seasonMinutes / 60} h, α=${p.alpha} β=${p.beta} γ=${p.gamma} (before one season: last-value)`;
    }
    observe(binStartMs, y) {
        this.fallback.observe(binStartMs, y);
        const slot = this.count % this.m;
        this.count += 1;
        if (!this.ready) {
            this.season[slot] = y;
            this.firstSeasonSum += y;
            if (this.count === this.m) {
                this.level = this.firstSeasonSum / this.m;
                for (let i = 0; i < this.m; i++)
                    this.season[i] = (this.season[i] ?? 0) - this.level;
                this.ready = true;
            }
            return;
        }
        const { alpha, beta, gamma } = this.p;
        const s = this.season[slot] ?? 0;
        const previousLevel = this.level;
        this.level = alpha * (y - s) + (1 - alpha) * (this.level + this.trend);
        this.trend = beta * (this.level - previousLevel) + (1 - beta) * this.trend;
        this.season[slot] = gamma * (y - this.level) + (1 - gamma) * s;
    }
    predictMean(tMs, horizonMinutes) {
        if (!this.ready) {
            this.fallbacks += 1;
            return this.fallback.predictMean(tMs, horizonMinutes);
        }
        const k = Math.max(1, Math.round(horizonMinutes / this.ctx.binMinutes));
        // ŷ(n+h) = level + h·trend + season[(n+h−1) mod m], h = 1…k; the mean of h over 1…k is (k+1)/2.
        let seasonSum = 0;
        for (let h = 0; h < k; h++)
            seasonSum += this.season[(this.count + h) % this.m] ?? 0;
        const mean = this.level + (this.trend * (k + 1)) / 2 + seasonSum / k;
        return Math.max(0, mean);
    }
}
//# sourceMappingURL=forecast-holt-winters.js.map