import type { FleetState, Observation, ScalingPolicy } from '../control/interfaces.js';
import { type SimulatedSystem } from '../adapters/simulated.js';
import type { SimulationRun } from './types.js';
import type { Workload } from './workload.js';
export interface SimulatorOptions {
    workload: Workload;
    policy: ScalingPolicy;
    /** Workers running and ready at time 0 (warm start). */
    initialWorkers: number;
    startupSeconds: number;
    intervalSeconds: number;
    sloSeconds: number;
    metricsWindowMinutes: number;
    costPerWorkerHour: number;
    /** Keep per-job start/end/worker and the worker change log (memory grows with jobs and changes). */
    recordJobs?: boolean;
    recordWorkerLog?: boolean;
    /** Stop early once more than this many jobs are certain to miss the SLO (searches). */
    maxMisses?: number;
    /** Stop early once paid worker-seconds exceed this (searches). */
    maxWorkerSeconds?: number;
    /** Called now and then with the share of the trace simulated so far. */
    onProgress?: (fraction: number) => void;
}
/** Window of the CPU reading (busy ÷ ready), like a metrics server's resolution. */
export declare const CPU_WINDOW_MS = 60000;
export declare class Simulator implements SimulatedSystem {
    private readonly o;
    private readonly arrival;
    private readonly service;
    private readonly n;
    private readonly startMs;
    private readonly startupMs;
    private readonly sloMs;
    private now;
    private state;
    private jobOf;
    private workers;
    private idle;
    private starting;
    private readonly busySet;
    private readonly drainSet;
    private nStarting;
    private arrived;
    private qHead;
    private completed;
    private misses;
    private lastCompletion;
    private readonly jobStart;
    private readonly jobEnd;
    private readonly jobWorker;
    private arrTrail;
    private lastT;
    private paidMs;
    private busyMs;
    private readonly cpu;
    private peakPaid;
    private scaleActions;
    private tickErrors;
    private lastTickError;
    private readonly heap;
    private readonly window;
    private readonly series;
    private readonly log;
    constructor(opts: SimulatorOptions);
    nowEpochMs(): number;
    fleetState(): FleetState;
    observe(now: Date): Observation;
    scaleTo(target: number): FleetState;
    run(): Promise<SimulationRun>;
    private newWorker;
    private addReadyWorker;
    private startWorker;
    private removeOne;
    private workerReady;
    private startJob;
    private dispatch;
    private complete;
    /** Waiting jobs already older than the SLO: certain misses. */
    private lateWaiting;
    /** Integrates the fleet state held since the last event up to `t`. */
    private advance;
    private logRow;
    private finish;
}
/** Simulates one policy on a workload. */
export declare function simulate(opts: SimulatorOptions): Promise<SimulationRun>;
