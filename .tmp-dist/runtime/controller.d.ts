import type { BudgetStatus, WorkloadPrediction } from '../autoscaling/types.js';
import type { Actuator, LoopClock, MetricsSource, ScalingPolicy } from '../control/interfaces.js';
import { type TickResult } from '../control/loop.js';
import type { Logger } from './logging.js';
import type { JobQueue, SpendLedger, StateStore } from './ports.js';
import type { ControllerStore } from '../control/interfaces.js';
import type { GaugeSnapshot, RuntimeApi, RuntimeStatus } from './runtime-api.js';
export declare const GATES_STATE_KEY = "operator-gates";
/** What the runtime can say about the policy beyond its decisions (ours: forecast and budgets). */
export interface PolicyInsight {
    forecast?(): WorkloadPrediction | undefined;
    budget?(): BudgetStatus | undefined;
}
/** The pool's lifecycle, when the controller owns one (not in dry-run). */
export interface ManagedPool extends Actuator {
    start(): Promise<{
        adopted: string[];
        gone: string[];
    }>;
    stopAll(timeoutMs?: number): Promise<void>;
    close(): void;
}
export interface ControllerRuntimeOptions {
    store: ControllerStore & StateStore & SpendLedger;
    queue: JobQueue;
    source: MetricsSource;
    policy: ScalingPolicy;
    insight?: PolicyInsight;
    /** The fleet actuator; in dry-run a read-only view is enough (it is never asked to scale). */
    actuator: Actuator;
    /** Set when this controller owns the worker processes (adopt at start, drain at stop). */
    pool?: ManagedPool;
    clock: LoopClock;
    intervalMs: number;
    dryRun: boolean;
    maxWorkers: number;
    costPerWorkerHour: number;
    logger: Logger;
    instanceId?: string;
    /** Controller heartbeat period (managed workers stop when it goes silent), ms. Default 2000. */
    heartbeatMs?: number;
    /** Decisions listed in status(). Default 20. */
    statusDecisions?: number;
    onTick?: (result: TickResult, runtime: ControllerRuntime) => void;
    /** Periodic clean-up (old finished jobs, stopped worker rows), run every `housekeepingMs`. */
    housekeeping?: (now: Date) => Promise<void>;
    /** Default 300000 (5 minutes). */
    housekeepingMs?: number;
}
/** Another live controller already manages this database. */
export declare class ControllerConflictError extends Error {
    constructor(message: string);
}
export declare class ControllerRuntime implements RuntimeApi {
    readonly instanceId: string;
    private readonly o;
    private readonly pauseGate;
    private readonly overrideGate;
    private readonly loop;
    private readonly policy;
    private last;
    private desired;
    private readonly totals;
    private started;
    private stopping;
    private heartbeatTimer;
    private tickChain;
    private wake;
    private scheduler;
    private lastHousekeeping;
    constructor(opts: ControllerRuntimeOptions);
    /** Claims the database, restores state, adopts workers, then ticks every interval until stop(). */
    start(): Promise<void>;
    /** Stops ticking; drains the workers (or leaves them for a restarted controller to adopt). */
    stop(opts?: {
        stopWorkers?: boolean;
        drainTimeoutMs?: number;
    }): Promise<void>;
    /** Runs one evaluation now (serialized with the scheduled ones). */
    tickNow(): Promise<TickResult>;
    status(): Promise<RuntimeStatus>;
    pause(): void;
    resume(): void;
    override(workers: number, ttlSeconds: number): void;
    clearOverride(): void;
    isReady(): boolean;
    gauges(): GaugeSnapshot;
    private doTick;
    private maybeHousekeep;
    private schedule;
    /** Evaluate soon (after an operator action) instead of waiting for the next interval. */
    private kick;
    private claimController;
    private beat;
    /** Workers adopted after a crash were paid while no controller was counting: charge that gap. */
    private accrueDowntime;
    private restoreGates;
    private saveGates;
}
