/**
 * A read-only actuator over the worker registry: the fleet as the workers report it, never
 * changed. Used where this controller must observe but not act (dry-run, shadow, standby).
 */
import type { Actuator, FleetState } from './interfaces.js';
import type { WorkerRegistry } from './ports.js';

export function registryFleet(registry: Pick<WorkerRegistry, 'workerCounts'>, why = 'dry-run'): Actuator {
  const fleet = async (): Promise<FleetState> => {
    const c = await registry.workerCounts();
    return { provisioned: c.starting + c.ready, ready: c.ready, draining: c.draining };
  };
  return {
    fleet,
    scaleTo: () => Promise.reject(new Error(`${why}: the fleet is never changed`)),
  };
}
