/**
 * The simulator's policies by name. Every one is a ScalingPolicy driven through the ControlLoop;
 * searches (fixed-peak, *-tuned) simulate several candidates and keep the cheapest that meets
 * the SLO target.
 */
import { createEnginePolicy } from '../../control/engine-policy.js';
import type { ScalingConfig } from '../../autoscaling/scaling-config.js';
import type { Clock } from '../../autoscaling/types.js';
import type { PolicyPlan, PolicyRunContext, SimPolicyDefinition } from '../policy-context.js';
import { createFixedPolicy } from './fixed.js';
import { fixedPeakDefinition } from './fixed-peak.js';
import { createHpaPolicy } from './hpa.js';
import { hpaTunedDefinition } from './hpa-tuned.js';
import { createKedaPolicy } from './keda.js';
import { kedaTunedDefinition } from './keda-tuned.js';
import { createOriginalPolicy } from './original.js';
import { createZeroWaitPolicy, planZeroWait } from './zero-wait.js';

/** A plan running our engine with `config` (already prepared for the simulation, SLO keys set). */
export function enginePlan(ctx: PolicyRunContext, config: ScalingConfig, name: string): (clock: Clock) => PolicyPlan {
  return (clock) => ({
    policy: createEnginePolicy(config, { name, clock }),
    initialWorkers: ctx.warmStart(config.minWorkers, ctx.settings.maxWorkers),
  });
}

/** Our engine with `ctx.engine` (the user's config, or an A/B variant's, plus the SLO keys). */
export function engineDefinition(name: string, description: string): SimPolicyDefinition {
  return {
    name,
    description,
    async run(ctx) {
      const run = await ctx.simulate(enginePlan(ctx, ctx.engine.config, name));
      return { ...run, summary: { ...run.summary, engineSlo: ctx.engine.engineSlo } };
    },
  };
}

const bountybot = engineDefinition('bountybot', "ours: the ScalingEngine (queueing-model sizing on its forecast) with the user's config");

const fixed: SimPolicyDefinition = {
  name: 'fixed',
  description: "N workers always (--fixed-workers, else the scenario's fleet, else fixed-peak's N)",
  async run(ctx) {
    const n = ctx.fixedWorkers;
    if (n !== undefined) return ctx.simulate(() => ({ policy: createFixedPolicy(n), initialWorkers: n, params: { workers: n } }));
    const { search: _search, ...peak } = await ctx.fixedPeak();
    return peak;
  },
};

const hpa: SimPolicyDefinition = {
  name: 'hpa',
  description: "Kubernetes HPA algorithm on the seed manifest's metrics (queue/pod 10, latency 30 s, CPU 70 %)",
  run(ctx) {
    const c = ctx.config;
    const min = Math.max(1, c.minWorkers);
    return ctx.simulate(() => ({
      policy: createHpaPolicy({
        minReplicas: min, maxReplicas: ctx.settings.maxWorkers, queueTarget: c.targetQueueDepth,
        latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70,
      }),
      initialWorkers: ctx.warmStart(min, ctx.settings.maxWorkers),
      params: { queueTarget: c.targetQueueDepth, latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70 },
    }));
  },
};

const keda: SimPolicyDefinition = {
  name: 'keda',
  description: 'KEDA queue-length scaler (target = target_queue_depth, polling 30 s, cooldown 300 s, min 0)',
  run(ctx) {
    const q = ctx.config.targetQueueDepth;
    return ctx.simulate(() => ({
      policy: createKedaPolicy({ minReplicas: 0, maxReplicas: ctx.settings.maxWorkers, queueTarget: q }),
      initialWorkers: ctx.warmStart(0, ctx.settings.maxWorkers),
      params: { queueTarget: q },
    }));
  },
};

const original: SimPolicyDefinition = {
  name: 'original',
  description: "the seed's v2.9.0 engine as published (scores vs 0.7/0.3, ±1 steps, 5 min cooldown)",
  run(ctx) {
    const c = ctx.config;
    return ctx.simulate(() => ({
      policy: createOriginalPolicy({
        minWorkers: c.minWorkers, maxWorkers: ctx.settings.maxWorkers, targetQueueDepth: c.targetQueueDepth,
        targetLatencySeconds: c.targetLatencySeconds, scaleUpThreshold: c.scaleUpThreshold,
        scaleDownThreshold: c.scaleDownThreshold, cooldownMinutes: c.cooldownMinutes, historySize: c.historySize,
        hourlyBudget: c.costConfig.hourlyBudget,
      }),
      initialWorkers: ctx.warmStart(c.minWorkers, ctx.settings.maxWorkers),
    }));
  },
};

const zeroWait: SimPolicyDefinition = {
  name: 'zero-wait',
  description: 'REFERENCE, sees the future: perfect foresight of arrivals and service times so that no job ever waits; not realizable, and not a lower bound on cost (see the floor)',
  reference: true,
  run(ctx: PolicyRunContext) {
    const s = ctx.settings;
    const plan = planZeroWait(ctx.workload, s.intervalSeconds, s.startupSeconds, s.maxWorkers);
    return ctx.simulate(() => ({
      policy: createZeroWaitPolicy(plan, ctx.workload.trace.startMs),
      initialWorkers: plan.targets[0] ?? 0,
    }));
  },
};

/** Every policy, in the order `--policy all` runs and reports them. */
export const POLICIES: readonly SimPolicyDefinition[] = [
  fixed, fixedPeakDefinition, hpa, hpaTunedDefinition, keda, kedaTunedDefinition, original, bountybot, zeroWait,
];

export const POLICY_NAMES: readonly string[] = POLICIES.map((p) => p.name);

/** Old names still accepted on the command line. */
export const POLICY_ALIASES: Readonly<Record<string, string>> = Object.freeze({ oracle: 'zero-wait' });

export function findPolicy(name: string): SimPolicyDefinition | undefined {
  const canonical = POLICY_ALIASES[name] ?? name;
  return POLICIES.find((p) => p.name === canonical);
}
