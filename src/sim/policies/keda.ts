/**
 * `keda`: a KEDA ScaledObject with one queue-length trigger (AverageValue), as KEDA runs it:
 * - KEDA itself polls the scaler every `pollingInterval` (30 s) and owns 0 ↔ 1: it activates
 *   (0 → 1) when the metric exceeds `activationThreshold` (default 0), and scales to 0 once the
 *   trigger has been inactive for `cooldownPeriod` (300 s), min replica count 0;
 * - for 1 ↔ N it feeds the metric to an HPA it creates (minReplicas 1), so the HPA algorithm
 *   with default behaviour applies: desired = ceil(queue / target) with tolerance 0.1, 300 s
 *   scale-down stabilization and the max(+4, +100 %) per 15 s scale-up limit.
 * The queue length is the collector's queue depth (waiting + in progress, like RabbitMQ's
 * QueueLength, which counts unacknowledged messages). As in KEDA's scale executor, the last
 * active time is refreshed at each poll that finds the trigger active, and scale-to-zero is
 * checked only at polls; the HPA underneath reads the metric at its own 15 s sync.
 */
import type { PolicyInput, PolicyOutput, ScalingPolicy } from '../../control/interfaces.js';
import { HorizontalAutoscaler, queueMetric, type HpaBehavior } from './hpa.js';

/** KEDA's ScaledObject defaults (pollingInterval, cooldownPeriod, activation threshold of a queue scaler). */
export const KEDA_DEFAULTS = Object.freeze({ pollingIntervalSeconds: 30, cooldownPeriodSeconds: 300, activationThreshold: 0 });

export interface KedaPolicyOptions {
  name?: string;
  /** minReplicaCount; 0 allows scale to zero. Default 0. */
  minReplicas?: number;
  maxReplicas: number;
  /** Queue length per replica (AverageValue). Default 10 (the seed's target queue depth). */
  queueTarget?: number;
  /** The trigger is active while the queue length is above this. Default 0. */
  activationThreshold?: number;
  /** Default 30. */
  pollingIntervalSeconds?: number;
  /** Default 300. */
  cooldownPeriodSeconds?: number;
  behavior?: Partial<HpaBehavior>;
}

export function createKedaPolicy(o: KedaPolicyOptions): ScalingPolicy {
  const minReplicas = o.minReplicas ?? 0;
  const activation = o.activationThreshold ?? KEDA_DEFAULTS.activationThreshold;
  const pollMs = (o.pollingIntervalSeconds ?? KEDA_DEFAULTS.pollingIntervalSeconds) * 1000;
  const cooldownMs = (o.cooldownPeriodSeconds ?? KEDA_DEFAULTS.cooldownPeriodSeconds) * 1000;
  const hpa = new HorizontalAutoscaler({
    minReplicas: Math.max(1, minReplicas),
    maxReplicas: o.maxReplicas,
    metrics: [queueMetric(o.queueTarget ?? 10)],
    ...(o.behavior ? { behavior: o.behavior } : {}),
  });
  let lastPollMs: number | undefined;
  let lastActiveMs: number | undefined;

  return {
    name: o.name ?? 'keda',
    decide(input: PolicyInput): PolicyOutput {
      const nowMs = input.now.getTime();
      const current = input.fleet.provisioned;
      const queue = input.observation.queueDepth + (input.observation.inFlight ?? 0);
      lastActiveMs ??= nowMs;
      const polled = lastPollMs === undefined || nowMs - lastPollMs >= pollMs - 1;
      if (polled) {
        lastPollMs = nowMs;
        if (queue > activation) lastActiveMs = nowMs;
      }
      const active = queue > activation;
      const out = (target: number, reasoning: string[]): PolicyOutput => ({
        targetWorkers: target,
        reasoning,
        action: target > current ? 'scale_up' : target < current ? 'scale_down' : 'no_change',
      });

      if (current === 0) {
        if (polled && active) {
          return out(Math.max(1, minReplicas), [`keda: queue ${queue} > activation ${activation}, activating 0 → ${Math.max(1, minReplicas)}`]);
        }
        return out(0, [polled ? `keda: queue ${queue} <= activation ${activation}, staying at 0` : 'keda: at 0, waiting for the next poll']);
      }
      if (polled && !active && minReplicas === 0 && nowMs - lastActiveMs >= cooldownMs) {
        return out(0, [`keda: inactive for ${((nowMs - lastActiveMs) / 1000).toFixed(0)}s >= cooldown ${cooldownMs / 1000}s, scaling to 0`]);
      }
      const { target, reasoning } = hpa.decide(nowMs, input.observation, current);
      return out(target, reasoning);
    },
  };
}
