/**
 * Budget enforcement for the worker fleet: hourly, daily and monthly budgets over calendar
 * periods (UTC or `config.timezone`), a spend ledger fed by `updateCosts` or by accrual
 * (`recordWorkerSeconds`), projections, alerts and recommendations.
 *
 * Rules (all money in dollars, rates in dollars per hour, c = costPerWorkerHour):
 * - Periods roll over with the injected clock: the first call in a new hour/day/month
 *   restarts that period's spend at 0. The clock never moves a period backwards.
 * - Run-rate: every method told the current fleet (`calculateCostScore`, `canScaleUp`,
 *   `shouldScaleDownForCost`, `getCostRecommendations`) remembers its hourly cost. Projections
 *   use it; until one is known they use the observed rate, spend / elapsed part of the period,
 *   with the elapsed part floored at 10 % of the period so a fresh period does not extrapolate
 *   a few dollars into thousands.
 * - Scale-up (`canScaleUp`): for each budget, spend so far + the proposed fleet for one hour must
 *   fit. For the hourly budget "one hour" is the rest of the current hour, AND the proposed fleet's
 *   own hourly cost must fit the budget: at :59 almost nothing is left of the hour, and without the
 *   second rule any fleet would pass and then overrun the next hour on its own.
 * - Status and alerts use actual spend (utilization = spend / budget), never the projection:
 *   a projection early in a period is noise and would raise false alarms. `projected` is reported
 *   beside it, and the scale-down and score paths act on projections.
 * - An accrual is attributed wholly to the periods that contain its `at` instant, even if the
 *   worker-seconds started in an earlier period.
 */
import { Calendar } from './calendar.js';
import { BUDGET_PERIODS, LEDGER_VERSION, UNLIMITED_WORKERS, exceeds, fmtWorkers, isRate, parseLedger, pct, sanitizeWorkers, tolerance, usd, } from './cost-ledger.js';
import { resolveCostConfig } from './scaling-config.js';
import { systemClock, } from './types.js';
const HOUR_MS = 3_600_000;
/** Observed-rate projections treat at least this share of the period as elapsed. */
const MIN_OBSERVED_FRACTION = 0.1;
/** Alerts kept for `getAlerts()`. */
const MAX_ALERTS = 100;
const PERIOD_NOUN = { hourly: 'hour', daily: 'day', monthly: 'month' };
export { BUDGET_PERIODS, UNLIMITED_WORKERS };
export class CostOptimizer {
    config;
    clock;
    onAlert;
    calendar;
    ledger;
    alerts = [];
    runRatePerHour;
    constructor(config = {}, deps = {}) {
        this.config = Object.freeze(resolveCostConfig(config));
        this.clock = deps.clock ?? systemClock;
        this.onAlert = deps.onAlert;
        this.calendar = new Calendar(this.config.timezone);
        const empty = () => ({ startMs: -Infinity, endMs: -Infinity, spend: 0, alertLevel: 0 });
        this.ledger = { hourly: empty(), daily: empty(), monthly: empty() };
    }
    /**
     * 0..1, 1 = must scale down. Utilization u is the worst of: run-rate / hourly budget, and
     * (spend so far + run-rate until the period ends) / budget for the day and the month.
     * u < 0.5 → 0, u > 0.9 → 1, linear between. A missing or invalid cost falls back to
     * activeWorkers × costPerWorkerHour.
     */
    calculateCostScore(currentCostPerHour, activeWorkers) {
        const now = this.refresh();
        const rate = isRate(currentCostPerHour)
            ? currentCostPerHour
            : sanitizeWorkers(activeWorkers) * this.config.costPerWorkerHour;
        this.runRatePerHour = rate;
        const u = Math.max(rate / this.config.hourlyBudget, this.projectAt('daily', now, rate) / this.config.dailyBudget, this.projectAt('monthly', now, rate) / this.config.monthlyBudget);
        if (!(u >= 0.5))
            return 0;
        if (u > 0.9)
            return 1;
        return (u - 0.5) / 0.4;
    }
    /** Whether a fleet of `targetWorkers` fits every budget for the next hour (see the file comment). */
    canScaleUp(currentWorkers, targetWorkers) {
        const now = this.refresh();
        this.rememberFleet(currentWorkers);
        const target = sanitizeWorkers(targetWorkers);
        const maxAffordable = Math.min(...BUDGET_PERIODS.map((p) => this.maxFleetForNextHour(p, now)));
        const clauses = [];
        for (const p of BUDGET_PERIODS) {
            const need = this.nextHourSpend(p, target, now);
            const budget = this.budgetOf(p);
            if (exceeds(need.spend, budget)) {
                const hint = need.nextFullHour ? ` in the next full hour at ${fmtWorkers(target)}` : '';
                clauses.push(`Would exceed ${p} budget (${usd(need.spend)} > ${usd(budget)}) by ${usd(need.spend - budget)}${hint}`);
            }
        }
        if (clauses.length === 0)
            return { allowed: true, reason: 'Within budget', maxAffordableWorkers: maxAffordable };
        const limiting = BUDGET_PERIODS.find((p) => this.maxFleetForNextHour(p, now) === maxAffordable) ?? 'hourly';
        return {
            allowed: false,
            reason: `${clauses.join('; ')}; max affordable ${fmtWorkers(maxAffordable)} (limited by the ${limiting} budget)`,
            maxAffordableWorkers: maxAffordable,
        };
    }
    /**
     * Over any budget's end-of-period projection at the current fleet → the largest fleet whose
     * projection fits every budget. Else spend at or above `alertThreshold` of any budget → one fewer.
     */
    shouldScaleDownForCost(currentWorkers) {
        const now = this.refresh();
        const current = this.rememberFleet(currentWorkers);
        const rate = current * this.config.costPerWorkerHour;
        const over = [];
        let fit = Math.floor(current + 1e-9);
        for (const p of BUDGET_PERIODS) {
            const projected = p === 'hourly' ? Math.max(this.projectAt(p, now, rate), rate) : this.projectAt(p, now, rate);
            const budget = this.budgetOf(p);
            if (!exceeds(projected, budget))
                continue;
            fit = Math.min(fit, this.maxFleetToPeriodEnd(p, now));
            over.push(`Over ${p} budget: projected ${usd(projected)} > ${usd(budget)} by ${usd(projected - budget)}`);
        }
        if (over.length > 0) {
            const target = Math.max(0, fit);
            const tail = target < current ? `; ${fmtWorkers(target)} fit` : '; no fleet reduction fits it';
            return { scaleDown: target < current, targetWorkers: target, reason: `${over.join('; ')}${tail}` };
        }
        for (const p of BUDGET_PERIODS) {
            const u = this.ledger[p].spend / this.budgetOf(p);
            if (u >= this.config.alertThreshold) {
                const target = Math.max(0, Math.ceil(current - 1e-9) - 1);
                return { scaleDown: target < current, targetWorkers: target, reason: `Approaching ${p} budget limit (${pct(u)})` };
            }
        }
        return { scaleDown: false, targetWorkers: current, reason: 'Within budget' };
    }
    getCostRecommendations(currentWorkers) {
        const now = this.refresh();
        const current = this.rememberFleet(currentWorkers);
        const c = this.config.costPerWorkerHour;
        const rate = current * c;
        const status = this.statusAt(now);
        const recs = [];
        let worst = 0;
        for (const p of BUDGET_PERIODS) {
            const s = status[p];
            worst = Math.max(worst, s.utilization, s.projected / s.budget);
            if (s.utilization >= 1) {
                recs.push(`⚠️ Over ${p} budget: ${usd(s.current)} spent of ${usd(s.budget)}`);
            }
            else if (s.utilization >= this.config.alertThreshold) {
                recs.push(`⚠️ Approaching ${p} budget limit: ${pct(s.utilization)} of ${usd(s.budget)} spent`);
            }
            if (s.utilization < 1 && exceeds(s.projected, s.budget) && rate > 0) {
                const runsOutMs = now + ((s.budget - s.current) / rate) * HOUR_MS;
                recs.push(`⏰ At ${usd(rate)}/hour the ${p} budget (${usd(s.budget)}) runs out at ${this.formatTime(runsOutMs)}; ` +
                    `projected ${usd(s.projected)} by the end of the ${PERIOD_NOUN[p]}`);
            }
        }
        if (exceeds(rate, this.config.hourlyBudget)) {
            recs.push(`⚠️ ${fmtWorkers(current)} cost ${usd(rate)}/hour, more than the hourly budget ${usd(this.config.hourlyBudget)}`);
        }
        if (worst < 0.5)
            recs.push('✅ Low cost utilization - can scale up if needed');
        if (current >= 1 && c > 0) {
            recs.push(`💰 Scaling down by 1 worker would save ${usd(c)}/hour (${usd(c * 24)}/day)`);
        }
        const up = this.canScaleUp(current, Math.floor(current + 1e-9) + 1);
        recs.push(`📊 Scaling up by 1 worker would cost ${usd(c)}/hour (${usd(c * 24)}/day)` +
            (up.allowed ? '' : ` - not affordable now: ${up.reason}`));
        return recs;
    }
    /** Sets spend so far in the current periods, as of clock(). Omitted fields keep their value. */
    updateCosts(update) {
        const fields = [['hourCost', 'hourly'], ['dayCost', 'daily'], ['monthCost', 'monthly']];
        for (const [field] of fields) {
            const v = update[field];
            if (v !== undefined && !isRate(v)) {
                throw new RangeError(`updateCosts: ${field} must be a finite number >= 0; got ${String(v)}`);
            }
        }
        const now = this.refresh();
        for (const [field, p] of fields) {
            const v = update[field];
            if (v !== undefined)
                this.ledger[p].spend = v;
        }
        this.checkAlerts(now);
    }
    /** Accrues workerSeconds / 3600 × costPerWorkerHour to every period that contains `at` (default clock()). */
    recordWorkerSeconds(workerSeconds, at) {
        if (!isRate(workerSeconds)) {
            throw new RangeError(`recordWorkerSeconds: workerSeconds must be a finite number >= 0; got ${String(workerSeconds)}`);
        }
        const atMs = at === undefined ? undefined : at.getTime();
        if (atMs !== undefined && !Number.isFinite(atMs)) {
            throw new RangeError(`recordWorkerSeconds: at must be a valid Date; got ${String(at)}`);
        }
        const now = this.refresh();
        const when = atMs ?? now;
        const cost = (workerSeconds / 3600) * this.config.costPerWorkerHour;
        for (const p of BUDGET_PERIODS) {
            this.rollTo(p, when);
            const l = this.ledger[p];
            if (when >= l.startMs && when < l.endMs)
                l.spend += cost;
        }
        this.checkAlerts(Math.max(now, when));
    }
    getBudgetStatus() {
        return this.statusAt(this.refresh());
    }
    /** Recent alerts, oldest first (at most 100). */
    getAlerts() {
        return this.alerts.map((a) => ({ ...a, at: new Date(a.at.getTime()) }));
    }
    /** The ledger (period bounds, spend, alerts raised) as JSON, for persisting across restarts. */
    exportLedger() {
        this.refresh();
        const stored = { version: LEDGER_VERSION, timezone: this.config.timezone, periods: { ...this.ledger } };
        return JSON.stringify(stored);
    }
    /**
     * Restores spend saved by `exportLedger`, meant for start-up (it replaces current spend).
     * Only periods still current under this optimizer's calendar are restored (a saved hour that
     * has ended restarts at 0, as rollover would); returns the periods restored.
     */
    importLedger(json) {
        const stored = parseLedger(json);
        const now = this.refresh();
        const restored = [];
        for (const p of BUDGET_PERIODS) {
            const s = stored.periods[p];
            const l = this.ledger[p];
            if (s === undefined || s.startMs !== l.startMs || s.endMs !== l.endMs)
                continue;
            l.spend = s.spend;
            l.alertLevel = s.alertLevel;
            restored.push(p);
        }
        this.checkAlerts(now);
        return restored;
    }
    // ---- internals ----
    budgetOf(p) {
        return p === 'hourly' ? this.config.hourlyBudget : p === 'daily' ? this.config.dailyBudget : this.config.monthlyBudget;
    }
    rememberFleet(workers) {
        const n = sanitizeWorkers(workers);
        this.runRatePerHour = n * this.config.costPerWorkerHour;
        return n;
    }
    /** Rolls every period to clock() and raises due alerts; returns now in ms. */
    refresh() {
        const now = this.clock().getTime();
        for (const p of BUDGET_PERIODS)
            this.rollTo(p, now);
        this.checkAlerts(now);
        return now;
    }
    rollTo(p, atMs) {
        const l = this.ledger[p];
        if (atMs < l.endMs)
            return;
        const b = this.calendar.periodBounds(p, atMs);
        l.startMs = b.startMs;
        l.endMs = b.endMs;
        l.spend = 0;
        l.alertLevel = 0;
    }
    remainingHours(p, now) {
        const l = this.ledger[p];
        return Math.max(0, l.endMs - Math.max(now, l.startMs)) / HOUR_MS;
    }
    projectAt(p, now, ratePerHour) {
        return this.ledger[p].spend + ratePerHour * this.remainingHours(p, now);
    }
    observedRate(p, now) {
        const l = this.ledger[p];
        const periodHours = (l.endMs - l.startMs) / HOUR_MS;
        const elapsed = Math.max(0, Math.min(now, l.endMs) - l.startMs) / HOUR_MS;
        return l.spend / Math.max(elapsed, MIN_OBSERVED_FRACTION * periodHours);
    }
    /** Spend the budget must absorb if `workers` run for the next hour (see the file comment). */
    nextHourSpend(p, workers, now) {
        const fleetRate = workers * this.config.costPerWorkerHour;
        const spent = this.ledger[p].spend;
        if (p !== 'hourly')
            return { spend: spent + fleetRate, nextFullHour: false };
        const restOfHour = spent + fleetRate * this.remainingHours(p, now);
        return restOfHour >= fleetRate
            ? { spend: restOfHour, nextFullHour: false }
            : { spend: fleetRate, nextFullHour: true };
    }
    maxFleetForNextHour(p, now) {
        const hours = p === 'hourly' ? this.remainingHours(p, now) : 1;
        const fit = this.maxFleet(p, hours);
        return p === 'hourly' ? Math.min(fit, this.maxFleetForRate()) : fit;
    }
    maxFleetToPeriodEnd(p, now) {
        const fit = this.maxFleet(p, this.remainingHours(p, now));
        return p === 'hourly' ? Math.min(fit, this.maxFleetForRate()) : fit;
    }
    /** Largest n ≥ 0 with spend + n × c × hours ≤ budget (0 when even none fits). */
    maxFleet(p, hours) {
        const room = this.budgetOf(p) - this.ledger[p].spend;
        if (room < -tolerance(this.budgetOf(p)))
            return 0;
        const perWorker = this.config.costPerWorkerHour * hours;
        if (perWorker <= 0)
            return UNLIMITED_WORKERS;
        return Math.max(0, Math.min(UNLIMITED_WORKERS, Math.floor(room / perWorker + 1e-9)));
    }
    /** Largest fleet whose own hourly cost fits the hourly budget. */
    maxFleetForRate() {
        const c = this.config.costPerWorkerHour;
        return c <= 0 ? UNLIMITED_WORKERS : Math.floor(this.config.hourlyBudget / c + 1e-9);
    }
    statusAt(now) {
        const entry = (p) => {
            const budget = this.budgetOf(p);
            const current = this.ledger[p].spend;
            const rate = this.runRatePerHour ?? this.observedRate(p, now);
            const utilization = current / budget;
            return {
                budget,
                current,
                utilization,
                remaining: budget - current,
                projected: this.projectAt(p, now, rate),
                status: this.health(utilization),
            };
        };
        return { hourly: entry('hourly'), daily: entry('daily'), monthly: entry('monthly') };
    }
    /** ≥ 1 over_budget; ≥ alertThreshold critical; ≥ 0.5 warning; else healthy. */
    health(utilization) {
        if (utilization >= 1)
            return 'over_budget';
        if (utilization >= this.config.alertThreshold)
            return 'critical';
        if (utilization >= 0.5)
            return 'warning';
        return 'healthy';
    }
    checkAlerts(now) {
        for (const p of BUDGET_PERIODS) {
            const l = this.ledger[p];
            const u = l.spend / this.budgetOf(p);
            const level = u >= 1 ? 2 : u >= this.config.alertThreshold ? 1 : 0;
            if (level <= l.alertLevel)
                continue;
            l.alertLevel = level;
            const alert = {
                period: p,
                utilization: u,
                threshold: level === 2 ? 1 : this.config.alertThreshold,
                status: this.health(u),
                at: new Date(now),
            };
            this.alerts.push(alert);
            if (this.alerts.length > MAX_ALERTS)
                this.alerts.shift();
            this.onAlert?.({ ...alert, at: new Date(now) });
        }
    }
    formatTime(ms) {
        const t = this.calendar.parts(ms);
        const two = (n) => String(n).padStart(2, '0');
        return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)} ${this.config.timezone}`;
    }
}
//# sourceMappingURL=cost.js.map