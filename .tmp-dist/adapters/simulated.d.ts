/**
 * Simulated adapters: the control loop's clock, metrics source and actuator backed by the
 * discrete-event simulator instead of a queue and a cluster. They only forward; all state and
 * bookkeeping live in the simulator, all decisions in the policy.
 */
import type { Actuator, FleetState, LoopClock, MetricsSource, Observation } from '../control/interfaces.js';
/** What the simulator exposes to its adapters. */
export interface SimulatedSystem {
    /** Current simulated time, epoch milliseconds. */
    nowEpochMs(): number;
    /** Metrics a live controller could read at `now`. */
    observe(now: Date): Observation;
    fleetState(): FleetState;
    /** Requests `target` provisioned workers now; throws on a target that is not an integer >= 0. */
    scaleTo(target: number): FleetState;
}
/** Virtual time: reads the simulator's clock. The simulator calls `tick()` itself, so this clock never sleeps. */
export declare class SimulatedClock implements LoopClock {
    private readonly system;
    constructor(system: SimulatedSystem);
    now(): Date;
    sleep(): Promise<void>;
}
export declare class SimulatedMetricsSource implements MetricsSource {
    private readonly system;
    constructor(system: SimulatedSystem);
    read(now: Date): Promise<Observation>;
}
export declare class SimulatedActuator implements Actuator {
    private readonly system;
    constructor(system: SimulatedSystem);
    fleet(): Promise<FleetState>;
    scaleTo(target: number): Promise<FleetState>;
}
