import { CostOptimizer } from './cost.js';
import { WorkloadPredictor } from './predictor.js';
import { type ScalingConfig, type ScalingConfigInput } from './scaling-config.js';
import { ScalingAction, type Clock, type ScalingDecision, type ScalingMetrics, type WorkloadStatistics } from './types.js';
export interface ScalingEngineDeps {
    clock?: Clock;
    predictor?: WorkloadPredictor;
    costOptimizer?: CostOptimizer;
}
export interface EngineStatistics {
    workloadStats: WorkloadStatistics;
    lastDecision: {
        action: ScalingAction;
        targetWorkers: number;
        confidence: number;
        timestamp: Date;
    } | null;
    inCooldown: boolean;
    cooldownRemainingMinutes: number;
    decisionCounts: Record<ScalingAction, number>;
    panicDecisions: number;
}
export declare class ScalingEngine {
    readonly config: ScalingConfig;
    readonly predictor: WorkloadPredictor;
    readonly costOptimizer: CostOptimizer;
    private readonly clock;
    private lastAction;
    private lastDecision;
    private recommendations;
    private lastKnownWorkers;
    private decisionCounts;
    private panicDecisions;
    constructor(config?: ScalingConfigInput, deps?: ScalingEngineDeps);
    /** Feeds one observation to the forecaster. Never throws; garbage fields are dropped. */
    addMetrics(metrics: ScalingMetrics): void;
    makeDecision(metrics: ScalingMetrics): ScalingDecision;
    getStatistics(): EngineStatistics;
    /** Records paid worker time in the budget ledger (accrual). */
    recordWorkerSeconds(workerSeconds: number, at?: Date): void;
    /** The whole learned state (forecast, cooldown, stabilization window, ledger) as JSON. */
    exportState(): string;
    /** Restores exportState() output into a new engine with the given config. */
    static importState(json: string, config?: ScalingConfigInput, deps?: {
        clock?: Clock;
    }): ScalingEngine;
    /**
     * Highest one-minute mean forecast in (start, start + span]: workers asked for now are ready at
     * `start` and must carry the peak of what follows, not its average (a spike at 09:00 must not be
     * diluted by the quiet minutes before it).
     */
    private peakForecastRate;
    private plan;
    private currentWorkers;
    /**
     * The score decides in ordinary conditions. It is overridden when the model shows the fleet
     * cannot serve the load: demand at or above capacity, a backlog that cannot drain in time,
     * or far fewer workers than needed (Knative-style panic).
     */
    private panicReason;
    private rememberRecommendation;
    /** Scale down toward the highest recommendation of the stabilization window, at most one step. */
    private stabilizedScaleDown;
    private applyBudget;
    private clamp;
    private cooldownRemainingMs;
    private cooldownNote;
    /** A cooldown blocks its direction, except to leave [min, max] or to go beyond a panic's last target. */
    private cooldownBlocks;
    private confidence;
}
