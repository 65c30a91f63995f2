/**
 * `hpa`: the Kubernetes HorizontalPodAutoscaler (autoscaling/v2) algorithm with default
 * behaviour, on the metrics of the seed's HPA manifest:
 * - per metric: ratio = value / target; within tolerance 0.1 → current, else ceil(ratio × pods);
 *   the recommendation is the max across metrics (missing metrics are skipped);
 * - stabilization: recommendation = clamp(current, min of recs in the up window, max of recs in
 *   the down window) with windows 0 s (up) and 300 s (down);
 * - rate: scale-up at most max(+4 pods, +100 %) per 15 s relative to the replicas at the start
 *   of the period; scale-down up to 100 % per 15 s; then [minReplicas, maxReplicas];
 * - sync every 15 s (it acts at evaluations at least that far apart).
 * Metrics: `bountybot_autoscaling_queue_depth` (the collector's queue depth: waiting + in progress)
 * per pod, AverageValue 10; `bountybot_autoscaling_avg_latency_seconds` (mean processing time over
 * the metrics window), AverageValue 30; CPU as busy ÷ ready pods, averageUtilization 70 %, with
 * Kubernetes' correction for unready pods on scale-up (they count as 0 % CPU).
 */
import type { Observation, PolicyInput, PolicyOutput, ScalingPolicy } from '../../control/interfaces.js';

export interface HpaBehavior {
  tolerance: number;
  syncPeriodSeconds: number;
  scaleUpStabilizationSeconds: number;
  scaleDownStabilizationSeconds: number;
  /** Scale-up policies (selectPolicy Max): +pods and +percent per period. */
  scaleUpPods: number;
  scaleUpPercent: number;
  scaleUpPeriodSeconds: number;
  /** Scale-down policy: −percent per period. */
  scaleDownPercent: number;
  scaleDownPeriodSeconds: number;
}

/** Kubernetes defaults (HPA v2 `behavior` unset, `--horizontal-pod-autoscaler-tolerance` 0.1). */
export const K8S_DEFAULT_BEHAVIOR: Readonly<HpaBehavior> = Object.freeze({
  tolerance: 0.1,
  syncPeriodSeconds: 15,
  scaleUpStabilizationSeconds: 0,
  scaleDownStabilizationSeconds: 300,
  scaleUpPods: 4,
  scaleUpPercent: 100,
  scaleUpPeriodSeconds: 15,
  scaleDownPercent: 100,
  scaleDownPeriodSeconds: 15,
});

/** One metric's proposal, or undefined when the metric is missing. */
export type HpaMetric = (obs: Observation, current: number, tolerance: number) =>
  { name: string; value: number; target: number; replicas: number } | undefined;

/** ceil() that ignores floating-point dust just above an integer; never negative. */
export function ceilRatio(x: number): number {
  return Math.max(0, Math.ceil(x - 1e-9));
}

/** Pods metric, AverageValue: value per pod = total / current; proposal = ceil(total / target). */
export function averageValueMetric(name: string, target: number, total: (o: Observation) => number | undefined): HpaMetric {
  return (obs, current, tolerance) => {
    const value = total(obs);
    if (value === undefined || !Number.isFinite(value) || current <= 0) return undefined;
    const ratio = value / (target * current);
    const replicas = Math.abs(1 - ratio) <= tolerance ? current : ceilRatio(value / target);
    return { name, value: value / current, target, replicas };
  };
}

/** The collector's queue depth (waiting + in progress) per pod. */
export function queueMetric(target: number): HpaMetric {
  return averageValueMetric('queue_depth', target, (o) => o.queueDepth + (o.inFlight ?? 0));
}

/** Mean processing latency over the metrics window; missing while nothing completed in it. */
export function latencyMetric(targetSeconds: number): HpaMetric {
  return (obs, current, tolerance) => {
    if (!(obs.validationsPerMinute > 0) || current <= 0) return undefined;
    const ratio = obs.avgLatencySeconds / targetSeconds;
    const replicas = Math.abs(1 - ratio) <= tolerance ? current : ceilRatio(ratio * current);
    return { name: 'avg_latency_seconds', value: obs.avgLatencySeconds, target: targetSeconds, replicas };
  };
}

/** CPU utilization of ready pods (busy ÷ ready), Kubernetes' resource-metric rules. */
export function cpuMetric(targetPercent: number): HpaMetric {
  return (obs, current, tolerance) => {
    const ready = obs.readyWorkers ?? obs.activeWorkers;
    if (!(ready > 0) || obs.cpuUsage === undefined) return undefined;
    const usage = obs.cpuUsage;
    const ratio = usage / targetPercent;
    const unready = Math.max(0, current - ready);
    if (!(unready > 0 && ratio > 1)) {
      const replicas = Math.abs(1 - ratio) <= tolerance ? current : ceilRatio(ratio * ready);
      return { name: 'cpu', value: usage, target: targetPercent, replicas };
    }
    // Scaling up while pods start: they count as 0 % so starting capacity is not ordered twice.
    const newRatio = (usage * ready) / (targetPercent * current);
    if (Math.abs(1 - newRatio) <= tolerance || newRatio < 1) {
      return { name: 'cpu', value: usage, target: targetPercent, replicas: current };
    }
    const replicas = ceilRatio(newRatio * current);
    return { name: 'cpu', value: usage, target: targetPercent, replicas: Math.max(replicas, current) };
  };
}

export interface HpaOptions {
  minReplicas: number;
  maxReplicas: number;
  metrics: readonly HpaMetric[];
  behavior?: Partial<HpaBehavior>;
}

/** The HPA controller's replica computation, stabilization and rate limits. */
export class HorizontalAutoscaler {
  readonly behavior: HpaBehavior;
  private readonly recs: { atMs: number; replicas: number }[] = [];
  private readonly events: { atMs: number; delta: number }[] = [];
  private lastSyncMs: number | undefined;

  constructor(private readonly opts: HpaOptions) {
    this.behavior = { ...K8S_DEFAULT_BEHAVIOR, ...opts.behavior };
  }

  /** Desired replicas at `nowMs` for `current` replicas, with the reasons. */
  decide(nowMs: number, obs: Observation, current: number): { target: number; reasoning: string[] } {
    const b = this.behavior;
    if (this.lastSyncMs !== undefined && nowMs - this.lastSyncMs < b.syncPeriodSeconds * 1000 - 1) {
      return { target: current, reasoning: [`hpa: next sync in ${((this.lastSyncMs + b.syncPeriodSeconds * 1000 - nowMs) / 1000).toFixed(0)}s`] };
    }
    this.lastSyncMs = nowMs;
    if (current <= 0) return { target: current, reasoning: ['hpa: 0 replicas, scaling disabled'] };
    const reasoning: string[] = [];
    let raw = -1;
    for (const metric of this.opts.metrics) {
      const p = metric(obs, current, b.tolerance);
      if (!p) continue;
      reasoning.push(`hpa: ${p.name} ${fmt(p.value)} vs target ${fmt(p.target)} → ${p.replicas}`);
      raw = Math.max(raw, p.replicas);
    }
    if (raw < 0) return { target: current, reasoning: [...reasoning, 'hpa: no metric available, keeping replicas'] };

    const stabilized = this.stabilize(nowMs, raw, current);
    if (stabilized !== raw) reasoning.push(`hpa: stabilized ${raw} → ${stabilized}`);
    const limited = this.rateLimit(nowMs, stabilized, current);
    if (limited !== stabilized) reasoning.push(`hpa: rate limit ${stabilized} → ${limited}`);
    if (limited !== current) this.events.push({ atMs: nowMs, delta: limited - current });
    return { target: limited, reasoning };
  }

  private stabilize(nowMs: number, raw: number, current: number): number {
    const b = this.behavior;
    const upCutoff = nowMs - b.scaleUpStabilizationSeconds * 1000;
    const downCutoff = nowMs - b.scaleDownStabilizationSeconds * 1000;
    let up = raw;
    let down = raw;
    for (const r of this.recs) {
      if (r.atMs > upCutoff) up = Math.min(up, r.replicas);
      if (r.atMs > downCutoff) down = Math.max(down, r.replicas);
    }
    this.recs.push({ atMs: nowMs, replicas: raw });
    const keep = nowMs - Math.max(b.scaleUpStabilizationSeconds, b.scaleDownStabilizationSeconds) * 1000;
    while (this.recs.length > 0 && (this.recs[0]?.atMs ?? 0) <= keep) this.recs.shift();
    let rec = current;
    if (rec < up) rec = up;
    if (rec > down) rec = down;
    return rec;
  }

  private rateLimit(nowMs: number, desired: number, current: number): number {
    const b = this.behavior;
    const { minReplicas, maxReplicas } = this.opts;
    const keep = nowMs - Math.max(b.scaleUpPeriodSeconds, b.scaleDownPeriodSeconds) * 1000;
    while (this.events.length > 0 && (this.events[0]?.atMs ?? 0) <= keep) this.events.shift();
    if (desired > current) {
      const start = current - this.changeInPeriod(nowMs, b.scaleUpPeriodSeconds);
      const limit = Math.max(start + b.scaleUpPods, Math.ceil(start * (1 + b.scaleUpPercent / 100)));
      return Math.max(minReplicas, Math.min(desired, limit, maxReplicas));
    }
    if (desired < current) {
      const start = current - this.changeInPeriod(nowMs, b.scaleDownPeriodSeconds);
      const limit = Math.floor(start * (1 - b.scaleDownPercent / 100));
      return Math.min(maxReplicas, Math.max(desired, limit, minReplicas));
    }
    return Math.max(minReplicas, Math.min(maxReplicas, desired));
  }

  /** Net replicas added within the period ending now (an event exactly one period ago is outside). */
  private changeInPeriod(nowMs: number, periodSeconds: number): number {
    const cutoff = nowMs - periodSeconds * 1000;
    let sum = 0;
    for (const e of this.events) if (e.atMs > cutoff) sum += e.delta;
    return sum;
  }
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

export interface HpaPolicyOptions {
  name?: string;
  minReplicas: number;
  maxReplicas: number;
  /** AverageValue of the queue-depth metric per pod. Default 10 (the seed's manifest). */
  queueTarget?: number;
  /** AverageValue of the latency metric, seconds. Default 30. */
  latencyTargetSeconds?: number;
  /** CPU averageUtilization, percent. Default 70. */
  cpuTargetPercent?: number;
  /** Use only the queue-depth metric (drop latency and CPU). Default false. */
  queueOnly?: boolean;
  behavior?: Partial<HpaBehavior>;
}

export function createHpaPolicy(o: HpaPolicyOptions): ScalingPolicy {
  const hpa = new HorizontalAutoscaler({
    minReplicas: o.minReplicas,
    maxReplicas: o.maxReplicas,
    metrics: o.queueOnly
      ? [queueMetric(o.queueTarget ?? 10)]
      : [queueMetric(o.queueTarget ?? 10), latencyMetric(o.latencyTargetSeconds ?? 30), cpuMetric(o.cpuTargetPercent ?? 70)],
    ...(o.behavior ? { behavior: o.behavior } : {}),
  });
  return {
    name: o.name ?? 'hpa',
    decide(input: PolicyInput): PolicyOutput {
      const current = input.fleet.provisioned;
      const { target, reasoning } = hpa.decide(input.now.getTime(), input.observation, current);
      return { targetWorkers: target, reasoning, action: target > current ? 'scale_up' : target < current ? 'scale_down' : 'no_change' };
    },
  };
}
