/**
 * `fixed`: N workers, always (the seed's "fixed capacity"). N comes from `--fixed-workers`, else
 * the scenario's stated fleet (campaign-spike: 3, nights-weekends: the seed's 10), else
 * fixed-peak's N (the registry reuses that search's run).
 */
import type { PolicyInput, PolicyOutput, ScalingPolicy } from '../../control/interfaces.js';

export function createFixedPolicy(workers: number, name = 'fixed'): ScalingPolicy {
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`fixed workers must be an integer >= 0; got ${String(workers)}`);
  return {
    name,
    decide(input: PolicyInput): PolicyOutput {
      const current = input.fleet.provisioned;
      return {
        targetWorkers: workers,
        reasoning: [`fixed capacity: ${workers} workers`],
        action: workers > current ? 'scale_up' : workers < current ? 'scale_down' : 'no_change',
      };
    },
  };
}
