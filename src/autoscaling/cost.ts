/**
 * Budget enforcement for the worker fleet: hourly, daily and monthly budgets over calendar
 * periods (UTC or `config.timezone`), a spend ledger fed by `updateCosts` or by accrual
 * (`recordWorkerSeconds`), projections, alerts and recommendations.
 *
 * Rules (all money in dollars, rates in dollars per hour, c = costPerWorkerHour):
 * - Periods roll over with the injected clock: the first call in a new hour/day/month
 *   restarts that period's spend at 0. The clock never moves a period backwards.
 * - Queries (`calculateCostScore`, `canScaleUp`, `shouldScaleDownForCost`,
 *   `getCostRecommendations`, `getBudgetStatus`) never change what later queries return; only
 *   `updateCosts`, `recordWorkerSeconds`, `updateRunRate` and `importLedger` do (periods roll
 *   over with the clock whoever asks).
 * - Run-rate: projections use the rate last given to `updateRunRate` (the engine gives it the
 *   fleet's cost every decision); until one is known they use the observed rate, spend / elapsed
 *   part of the period, with the elapsed part floored at 10 % of the period so a fresh period
 *   does not extrapolate a few dollars into thousands.
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
import {
  BUDGET_PERIODS, LEDGER_VERSION, UNLIMITED_WORKERS, exceeds, fmtWorkers, isRate, parseLedger, pct, sanitizeWorkers,
  tolerance, usd, type AlertLevel, type PeriodLedger, type StoredLedger,
} from './cost-ledger.js';
import { resolveCostConfig, type CostConfig, type CostConfigInput } from './scaling-config.js';
import {
  systemClock,
  type BudgetAlert, type BudgetHealth, type BudgetPeriod, type BudgetPeriodStatus, type BudgetStatus,
  type Clock, type CostScaleDownCheck, type ScaleUpCheck,
} from './types.js';

const HOUR_MS = 3_600_000;
/** Observed-rate projections treat at least this share of the period as elapsed. */
const MIN_OBSERVED_FRACTION = 0.1;
/** Alerts kept for `getAlerts()`. */
const MAX_ALERTS = 100;
const PERIOD_NOUN: Record<BudgetPeriod, string> = { hourly: 'hour', daily: 'day', monthly: 'month' };

export interface CostUpdate {
  /** Spend so far in the current hour. */
  hourCost?: number;
  /** Spend so far in the current day. */
  dayCost?: number;
  /** Spend so far in the current month. */
  monthCost?: number;
}

export interface CostOptimizerDeps {
  clock?: Clock;
  /** Called once per period instance when its spend crosses `alertThreshold`, and again at 100 %. */
  onAlert?: (alert: BudgetAlert) => void;
}

export { BUDGET_PERIODS, UNLIMITED_WORKERS };

export class CostOptimizer {
  readonly config: CostConfig;
  private readonly clock: Clock;
  private readonly onAlert: ((alert: BudgetAlert) => void) | undefined;
  private readonly calendar: Calendar;
  private readonly ledger: Record<BudgetPeriod, PeriodLedger>;
  private readonly alerts: BudgetAlert[] = [];
  private runRatePerHour: number | undefined;

  /** `config`: any subset of the cost settings, camelCase or the brief's snake_case (`hourly_budget`). */
  constructor(config: CostConfigInput | Record<string, unknown> = {}, deps: CostOptimizerDeps = {}) {
    this.config = Object.freeze(resolveCostConfig(config));
    this.clock = deps.clock ?? systemClock;
    this.onAlert = deps.onAlert;
    this.calendar = new Calendar(this.config.timezone);
    const empty = (): PeriodLedger => ({ startMs: -Infinity, endMs: -Infinity, spend: 0, alertLevel: 0 });
    this.ledger = { hourly: empty(), daily: empty(), monthly: empty() };
  }

  /**
   * 0..1, 1 = must scale down. Utilization u is the worst of: run-rate / hourly budget, and
   * (spend so far + run-rate until the period ends) / budget for the day and the month.
   * u < 0.5 → 0, u > 0.9 → 1, linear between. A missing or invalid cost falls back to
   * activeWorkers × costPerWorkerHour.
   */
  calculateCostScore(currentCostPerHour: number | undefined, activeWorkers: number): number {
    const now = this.refresh();
    const rate = isRate(currentCostPerHour)
      ? currentCostPerHour
      : sanitizeWorkers(activeWorkers) * this.config.costPerWorkerHour;
    const u = Math.max(
      rate / this.config.hourlyBudget,
      this.projectAt('daily', now, rate) / this.config.dailyBudget,
      this.projectAt('monthly', now, rate) / this.config.monthlyBudget,
    );
    if (!(u >= 0.5)) return 0;
    if (u > 0.9) return 1;
    return (u - 0.5) / 0.4;
  }

  /** Whether a fleet of `targetWorkers` fits every budget for the next hour (see the file comment). */
  canScaleUp(_currentWorkers: number, targetWorkers: number): ScaleUpCheck {
    const now = this.refresh();
    const target = sanitizeWorkers(targetWorkers);
    const maxAffordable = Math.min(...BUDGET_PERIODS.map((p) => this.maxFleetForNextHour(p, now)));
    const clauses: string[] = [];
    for (const p of BUDGET_PERIODS) {
      const need = this.nextHourSpend(p, target, now);
      const budget = this.budgetOf(p);
      if (exceeds(need.spend, budget)) {
        const hint = need.nextFullHour ? ` in the next full hour at ${fmtWorkers(target)}` : '';
        clauses.push(`Would exceed ${p} budget (${usd(need.spend)} > ${usd(budget)}) by ${usd(need.spend - budget)}${hint}`);
      }
    }
    if (clauses.length === 0) return { allowed: true, reason: 'Within budget', maxAffordableWorkers: maxAffordable };
    const limiting = BUDGET_PERIODS.find((p) => this.maxFleetForNextHour(p, now) === maxAffordable) ?? 'hourly';
    return {
      allowed: false,
      reason: `${clauses.join('; ')}; max affordable ${fmtWorkers(maxAffordable)} (limited by the ${limiting} budget)`,
      maxAffordableWorkers: maxAffordable,
      limitedBy: limiting,
    };
  }

  /**
   * Over any budget's end-of-period projection at the current fleet → the largest fleet whose
   * projection fits every budget. Else spend at or above `alertThreshold` of any budget → one fewer.
   */
  shouldScaleDownForCost(currentWorkers: number): CostScaleDownCheck {
    const now = this.refresh();
    const current = sanitizeWorkers(currentWorkers);
    const rate = current * this.config.costPerWorkerHour;
    const over: string[] = [];
    let fit = Math.floor(current + 1e-9);
    for (const p of BUDGET_PERIODS) {
      const projected = p === 'hourly' ? Math.max(this.projectAt(p, now, rate), rate) : this.projectAt(p, now, rate);
      const budget = this.budgetOf(p);
      if (!exceeds(projected, budget)) continue;
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

  getCostRecommendations(currentWorkers: number): string[] {
    const now = this.refresh();
    const current = sanitizeWorkers(currentWorkers);
    const c = this.config.costPerWorkerHour;
    const rate = current * c;
    const status = this.statusAt(now, rate);
    const recs: string[] = [];
    let worst = 0;
    for (const p of BUDGET_PERIODS) {
      const s = status[p];
      worst = Math.max(worst, s.utilization, s.projected / s.budget);
      if (s.utilization >= 1) {
        recs.push(`⚠️ Over ${p} budget: ${usd(s.current)} spent of ${usd(s.budget)}`);
      } else if (s.utilization >= this.config.alertThreshold) {
        recs.push(`⚠️ Approaching ${p} budget limit: ${pct(s.utilization)} of ${usd(s.budget)} spent`);
      }
      if (s.utilization < 1 && exceeds(s.projected, s.budget) && rate > 0) {
        const runsOutMs = now + ((s.budget - s.current) / rate) * HOUR_MS;
        recs.push(
          `⏰ At ${usd(rate)}/hour the ${p} budget (${usd(s.budget)}) runs out at ${this.formatTime(runsOutMs)}; ` +
            `projected ${usd(s.projected)} by the end of the ${PERIOD_NOUN[p]}`,
        );
      }
    }
    if (exceeds(rate, this.config.hourlyBudget)) {
      recs.push(`⚠️ ${fmtWorkers(current)} cost ${usd(rate)}/hour, more than the hourly budget ${usd(this.config.hourlyBudget)}`);
    }
    if (worst < 0.5) recs.push('✅ Low cost utilization - can scale up if needed');
    if (current >= 1 && c > 0) {
      recs.push(`💰 Scaling down by 1 worker would save ${usd(c)}/hour (${usd(c * 24)}/day)`);
    }
    const up = this.canScaleUp(current, Math.floor(current + 1e-9) + 1);
    recs.push(
      `📊 Scaling up by 1 worker would cost ${usd(c)}/hour (${usd(c * 24)}/day)` +
        (up.allowed ? '' : ` - not affordable now: ${up.reason}`),
    );
    return recs;
  }

  /** Sets spend so far in the current periods, as of clock(). Omitted fields keep their value. */
  updateCosts(update: CostUpdate): void {
    const fields = [['hourCost', 'hourly'], ['dayCost', 'daily'], ['monthCost', 'monthly']] as const;
    for (const [field] of fields) {
      const v = update[field];
      if (v !== undefined && !isRate(v)) {
        throw new RangeError(`updateCosts: ${field} must be a finite number >= 0; got ${String(v)}`);
      }
    }
    const now = this.refresh();
    for (const [field, p] of fields) {
      const v = update[field];
      if (v !== undefined) this.ledger[p].spend = v;
    }
    this.checkAlerts(now);
  }

  /** Sets the fleet's current cost, dollars per hour, that projections assume from now on. */
  updateRunRate(dollarsPerHour: number): void {
    if (!isRate(dollarsPerHour)) {
      throw new RangeError(`updateRunRate: dollarsPerHour must be a finite number >= 0; got ${String(dollarsPerHour)}`);
    }
    this.runRatePerHour = dollarsPerHour;
  }

  /** Accrues workerSeconds / 3600 × costPerWorkerHour to every period that contains `at` (default clock()). */
  recordWorkerSeconds(workerSeconds: number, at?: Date): void {
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
      if (when >= l.startMs && when < l.endMs) l.spend += cost;
    }
    this.checkAlerts(Math.max(now, when));
  }

  getBudgetStatus(): BudgetStatus {
    return this.statusAt(this.refresh());
  }

  /** Recent alerts, oldest first (at most 100). */
  getAlerts(): BudgetAlert[] {
    return this.alerts.map((a) => ({ ...a, at: new Date(a.at.getTime()) }));
  }

  /** The ledger (period bounds, spend, alerts raised) as JSON, for persisting across restarts. */
  exportLedger(): string {
    this.refresh();
    const stored: StoredLedger = { version: LEDGER_VERSION, timezone: this.config.timezone, periods: { ...this.ledger } };
    return JSON.stringify(stored);
  }

  /**
   * Restores spend saved by `exportLedger`, meant for start-up (it replaces current spend).
   * Only periods still current under this optimizer's calendar are restored (a saved hour that
   * has ended restarts at 0, as rollover would); returns the periods restored.
   */
  importLedger(json: string): BudgetPeriod[] {
    const stored = parseLedger(json);
    const now = this.refresh();
    const restored: BudgetPeriod[] = [];
    for (const p of BUDGET_PERIODS) {
      const s = stored.periods[p];
      const l = this.ledger[p];
      if (s === undefined || s.startMs !== l.startMs || s.endMs !== l.endMs) continue;
      l.spend = s.spend;
      l.alertLevel = s.alertLevel;
      restored.push(p);
    }
    this.checkAlerts(now);
    return restored;
  }

  // ---- internals ----

  private budgetOf(p: BudgetPeriod): number {
    return p === 'hourly' ? this.config.hourlyBudget : p === 'daily' ? this.config.dailyBudget : this.config.monthlyBudget;
  }

  /** Rolls every period to clock() and raises due alerts; returns now in ms. */
  private refresh(): number {
    const now = this.clock().getTime();
    for (const p of BUDGET_PERIODS) this.rollTo(p, now);
    this.checkAlerts(now);
    return now;
  }

  private rollTo(p: BudgetPeriod, atMs: number): void {
    const l = this.ledger[p];
    if (atMs < l.endMs) return;
    const b = this.calendar.periodBounds(p, atMs);
    l.startMs = b.startMs;
    l.endMs = b.endMs;
    l.spend = 0;
    l.alertLevel = 0;
  }

  private remainingHours(p: BudgetPeriod, now: number): number {
    const l = this.ledger[p];
    return Math.max(0, l.endMs - Math.max(now, l.startMs)) / HOUR_MS;
  }

  private projectAt(p: BudgetPeriod, now: number, ratePerHour: number): number {
    return this.ledger[p].spend + ratePerHour * this.remainingHours(p, now);
  }

  private observedRate(p: BudgetPeriod, now: number): number {
    const l = this.ledger[p];
    const periodHours = (l.endMs - l.startMs) / HOUR_MS;
    const elapsed = Math.max(0, Math.min(now, l.endMs) - l.startMs) / HOUR_MS;
    return l.spend / Math.max(elapsed, MIN_OBSERVED_FRACTION * periodHours);
  }

  /** Spend the budget must absorb if `workers` run for the next hour (see the file comment). */
  private nextHourSpend(p: BudgetPeriod, workers: number, now: number): { spend: number; nextFullHour: boolean } {
    const fleetRate = workers * this.config.costPerWorkerHour;
    const spent = this.ledger[p].spend;
    if (p !== 'hourly') return { spend: spent + fleetRate, nextFullHour: false };
    const restOfHour = spent + fleetRate * this.remainingHours(p, now);
    return restOfHour >= fleetRate
      ? { spend: restOfHour, nextFullHour: false }
      : { spend: fleetRate, nextFullHour: true };
  }

  private maxFleetForNextHour(p: BudgetPeriod, now: number): number {
    const hours = p === 'hourly' ? this.remainingHours(p, now) : 1;
    const fit = this.maxFleet(p, hours);
    return p === 'hourly' ? Math.min(fit, this.maxFleetForRate()) : fit;
  }

  private maxFleetToPeriodEnd(p: BudgetPeriod, now: number): number {
    const fit = this.maxFleet(p, this.remainingHours(p, now));
    return p === 'hourly' ? Math.min(fit, this.maxFleetForRate()) : fit;
  }

  /** Largest n ≥ 0 with spend + n × c × hours ≤ budget (0 when even none fits). */
  private maxFleet(p: BudgetPeriod, hours: number): number {
    const room = this.budgetOf(p) - this.ledger[p].spend;
    if (room < -tolerance(this.budgetOf(p))) return 0;
    const perWorker = this.config.costPerWorkerHour * hours;
    if (perWorker <= 0) return UNLIMITED_WORKERS;
    return Math.max(0, Math.min(UNLIMITED_WORKERS, Math.floor(room / perWorker + 1e-9)));
  }

  /** Largest fleet whose own hourly cost fits the hourly budget. */
  private maxFleetForRate(): number {
    const c = this.config.costPerWorkerHour;
    return c <= 0 ? UNLIMITED_WORKERS : Math.floor(this.config.hourlyBudget / c + 1e-9);
  }

  /** Budget status; projections at `ratePerHour` (default: the run rate, else the observed one). */
  private statusAt(now: number, ratePerHour = this.runRatePerHour): BudgetStatus {
    const entry = (p: BudgetPeriod): BudgetPeriodStatus => {
      const budget = this.budgetOf(p);
      const current = this.ledger[p].spend;
      const rate = ratePerHour ?? this.observedRate(p, now);
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
  private health(utilization: number): BudgetHealth {
    if (utilization >= 1) return 'over_budget';
    if (utilization >= this.config.alertThreshold) return 'critical';
    if (utilization >= 0.5) return 'warning';
    return 'healthy';
  }

  private checkAlerts(now: number): void {
    for (const p of BUDGET_PERIODS) {
      const l = this.ledger[p];
      const u = l.spend / this.budgetOf(p);
      const level: AlertLevel = u >= 1 ? 2 : u >= this.config.alertThreshold ? 1 : 0;
      if (level <= l.alertLevel) continue;
      l.alertLevel = level;
      const alert: BudgetAlert = {
        period: p,
        utilization: u,
        threshold: level === 2 ? 1 : this.config.alertThreshold,
        status: this.health(u),
        at: new Date(now),
      };
      this.alerts.push(alert);
      if (this.alerts.length > MAX_ALERTS) this.alerts.shift();
      this.onAlert?.({ ...alert, at: new Date(now) });
    }
  }

  private formatTime(ms: number): string {
    const t = this.calendar.parts(ms);
    const two = (n: number): string => String(n).padStart(2, '0');
    return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)} ${this.config.timezone}`;
  }
}
