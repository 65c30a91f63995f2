/**
 * `keda`: a KEDA ScaledObject with one queue-length trigger (AverageValue), as KEDA runs it:
 * - KEDA itself polls the scaler every `pollingInterval` (30 s) and owns 0 ↔ 1: it activates
 *   (0 → 1) when the metric exceeds `activationThreshold` (default 0), and scales to 0 once the
 *   trigger has been inactive for `cooldownPeriod` (300 s), min replica count 0;
 * - for 1 ↔ N it feeds the metric to an HPA it creates (minReplicas 1), so the HPA algorithm
 *   with default behaviour applies: desired = ceil(queue / target) with tolerance 0.1, 300 s
 *   scale-down stabilization and the max(+4, +100 %) per 15 s scale-up limit.
 * The queue length is the collector's queue depth (waiting + in progress, like RabbitMQ's
 * QueueLength, which counts unacknowledged messages).
 */
import type { ScalingPolicy } from '../../control/interfaces.js';
import { type HpaBehavior } from './hpa.js';
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
export declare function createKedaPolicy(o: KedaPolicyOptions): ScalingPolicy;
