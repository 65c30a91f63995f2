import { BUDGET_PERIODS, UNLIMITED_WORKERS } from './cost-ledger.js';
import { type CostConfig } from './scaling-config.js';
import { type BudgetAlert, type BudgetPeriod, type BudgetStatus, type Clock, type CostScaleDownCheck, type ScaleUpCheck } from './types.js';
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
export declare class CostOptimizer {
    readonly config: CostConfig;
    private readonly clock;
    private readonly onAlert;
    private readonly calendar;
    private readonly ledger;
    private readonly alerts;
    private runRatePerHour;
    constructor(config?: Partial<CostConfig>, deps?: CostOptimizerDeps);
    /**
     * 0..1, 1 = must scale down. Utilization u is the worst of: run-rate / hourly budget, and
     * (spend so far + run-rate until the period ends) / budget for the day and the month.
     * u < 0.5 → 0, u > 0.9 → 1, linear between. A missing or invalid cost falls back to
     * activeWorkers × costPerWorkerHour.
     */
    calculateCostScore(currentCostPerHour: number | undefined, activeWorkers: number): number;
    /** Whether a fleet of `targetWorkers` fits every budget for the next hour (see the file comment). */
    canScaleUp(currentWorkers: number, targetWorkers: number): ScaleUpCheck;
    /**
     * Over any budget's end-of-period projection at the current fleet → the largest fleet whose
     * projection fits every budget. Else spend at or above `alertThreshold` of any budget → one fewer.
     */
    shouldScaleDownForCost(currentWorkers: number): CostScaleDownCheck;
    getCostRecommendations(currentWorkers: number): string[];
    /** Sets spend so far in the current periods, as of clock(). Omitted fields keep their value. */
    updateCosts(update: CostUpdate): void;
    /** Accrues workerSeconds / 3600 × costPerWorkerHour to every period that contains `at` (default clock()). */
    recordWorkerSeconds(workerSeconds: number, at?: Date): void;
    getBudgetStatus(): BudgetStatus;
    /** Recent alerts, oldest first (at most 100). */
    getAlerts(): BudgetAlert[];
    /** The ledger (period bounds, spend, alerts raised) as JSON, for persisting across restarts. */
    exportLedger(): string;
    /**
     * Restores spend saved by `exportLedger`, meant for start-up (it replaces current spend).
     * Only periods still current under this optimizer's calendar are restored (a saved hour that
     * has ended restarts at 0, as rollover would); returns the periods restored.
     */
    importLedger(json: string): BudgetPeriod[];
    private budgetOf;
    private rememberFleet;
    /** Rolls every period to clock() and raises due alerts; returns now in ms. */
    private refresh;
    private rollTo;
    private remainingHours;
    private projectAt;
    private observedRate;
    /** Spend the budget must absorb if `workers` run for the next hour (see the file comment). */
    private nextHourSpend;
    private maxFleetForNextHour;
    private maxFleetToPeriodEnd;
    /** Largest n ≥ 0 with spend + n × c × hours ≤ budget (0 when even none fits). */
    private maxFleet;
    /** Largest fleet whose own hourly cost fits the hourly budget. */
    private maxFleetForRate;
    private statusAt;
    /** ≥ 1 over_budget; ≥ alertThreshold critical; ≥ 0.5 warning; else healthy. */
    private health;
    private checkAlerts;
    private formatTime;
}
