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
export class SimulatedClock implements LoopClock {
  constructor(private readonly system: SimulatedSystem) {}

  now(): Date {
    return new Date(this.system.nowEpochMs());
  }

  sleep(): Promise<void> {
    return Promise.reject(
      new Error('SimulatedClock cannot sleep: the simulator drives ControlLoop.tick() from its event loop'),
    );
  }
}

export class SimulatedMetricsSource implements MetricsSource {
  constructor(private readonly system: SimulatedSystem) {}

  read(now: Date): Promise<Observation> {
    return Promise.resolve(this.system.observe(now));
  }
}

export class SimulatedActuator implements Actuator {
  constructor(private readonly system: SimulatedSystem) {}

  fleet(): Promise<FleetState> {
    return Promise.resolve(this.system.fleetState());
  }

  scaleTo(target: number): Promise<FleetState> {
    try {
      return Promise.resolve(this.system.scaleTo(target));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
