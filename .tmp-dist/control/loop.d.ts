/**
 * The controller loop, written once: observe → decide → gate → actuate → record.
 * The live runtime drives it with real adapters and the wall clock; the simulator with
 * simulated adapters and a virtual clock. No decision logic lives here: the policy decides,
 * gates (pause, override, dry-run) only restrict what is applied.
 */
import type { Actuator, ControllerStore, FleetState, LoopClock, MetricsSource, Observation, PolicyOutput, ScalingPolicy } from './interfaces.js';
/** Restricts the policy's target (pause, manual override …); returns a reason when it changes it. */
export interface Gate {
    readonly name: string;
    apply(target: number, current: FleetState, now: Date): {
        target: number;
        reason?: string;
    };
}
export interface TickResult {
    at: Date;
    observation?: Observation;
    fleet: FleetState;
    decision?: PolicyOutput;
    /** Workers the actuator was asked for, after gates; undefined when nothing was applied. */
    applied?: number;
    error?: string;
}
export interface ControlLoopOptions {
    clock: LoopClock;
    source: MetricsSource;
    actuator: Actuator;
    policy: ScalingPolicy;
    /** Audit log and durable state; optional (the simulator runs without one). */
    store?: ControllerStore;
    /** Time between ticks in `run()`, milliseconds. */
    intervalMs: number;
    /** Decide and record, but never call the actuator. Default false. */
    dryRun?: boolean;
    gates?: readonly Gate[];
    /** Called after every tick, including failed ones. */
    onTick?: (result: TickResult) => void;
    /** Save the policy state every N ticks (when the store and policy support it). Default 1. */
    saveStateEveryTicks?: number;
}
export declare const POLICY_STATE_KEY = "policy-state";
export declare class ControlLoop {
    private readonly opts;
    private lastSpendAt;
    private lastPaidWorkers;
    private ticks;
    constructor(opts: ControlLoopOptions);
    /** Restores the policy's learned state from the store, if both support it. */
    restore(): Promise<boolean>;
    /** One evaluation. Never throws: failures are reported in the result and nothing is actuated. */
    tick(): Promise<TickResult>;
    /** Ticks every `intervalMs` until `signal` aborts. */
    run(signal: AbortSignal): Promise<void>;
    private accrueSpend;
    private applyGates;
    private maybeSaveState;
}
