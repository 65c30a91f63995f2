/**
 * Options `simulate` and `tune` share (the workload, the simulated system, the SLO), declared once
 * with their ranges, and the config-file helpers both need.
 */
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { loadAutoscalingConfig, type AutoscalingConfig } from '../config/load.js';
import { snakeToCamel } from '../autoscaling/settings.js';
import { MAX_FLEET, resolveScalingConfig, type ScalingConfig } from '../autoscaling/scaling-config.js';
import { SIM_DEFAULTS, type SimulationRequest } from '../sim/run.js';
import type { ScaleDownMode } from '../sim/types.js';
import { decimal, describeRule, RULES, type DecimalRule } from './options.js';

/** The parsed shared options (commander's camelCase names). */
export interface SimCliOptions {
  config?: string;
  scale?: number;
  peakLoad?: number;
  serviceTime: number;
  serviceCv: number;
  startupSeconds: number;
  intervalSeconds?: number;
  sloSeconds: number;
  sloTarget: number;
  seed: number;
  maxWorkers?: number;
  scaleDown: ScaleDownMode;
  graceSeconds: number;
}

/** The ranges of the simulation options, each declared once (seed and scale are the runtime's). */
export const SIM_RULES = Object.freeze({
  scale: RULES.scale,
  peakLoad: { min: 0, minExclusive: true, max: 1_000_000 },
  serviceTime: { min: 0, minExclusive: true, max: 86_400 },
  serviceCv: { min: 0, max: 10 },
  startupSeconds: { min: 0, max: 86_400 },
  intervalSeconds: { min: 1, max: 3600 },
  sloSeconds: { min: 0, minExclusive: true, max: 7 * 86_400 },
  sloTarget: { min: 0, minExclusive: true, max: 1 },
  seed: RULES.seed,
  workers: { min: 0, max: MAX_FLEET, integer: true },
  maxWorkers: { min: 1, max: MAX_FLEET, integer: true },
  graceSeconds: { min: 0, max: 86_400 },
  trainFraction: { min: 0.1, max: 0.9 },
  simulations: { min: 1, max: 500, integer: true },
  horizonMinutes: { min: 0, minExclusive: true, max: 525_600 },
} satisfies Record<string, DecimalRule>);

const num = (flags: string, description: string, rule: DecimalRule, dflt?: number): Option => {
  const o = new Option(flags, `${description}, ${describeRule(rule).replace(/^an? (integer|decimal number) /, '')}`).argParser(decimal(rule));
  return dflt !== undefined ? o.default(dflt) : o;
};

/** Adds the workload, system and SLO options to `cmd`. */
export function addSimulationOptions(cmd: Command): Command {
  const d = SIM_DEFAULTS;
  const r = SIM_RULES;
  return cmd
    .option('--config <file>', "autoscaling YAML (default: the seed's settings)")
    .addOption(num('--scale <F>', 'multiply every bin count by F', r.scale))
    .addOption(num('--peak-load <E>', 'rescale so the busiest clock hour offers E workers of load (rate x mean service time)', r.peakLoad))
    .addOption(num('--service-time <S>', 'mean service time, seconds (lognormal)', r.serviceTime, d.serviceTimeSeconds))
    .addOption(num('--service-cv <C>', 'coefficient of variation of the service time', r.serviceCv, d.serviceCv))
    .addOption(num('--startup-seconds <T>', 'seconds from requesting a worker to it taking jobs (paid from the request)', r.startupSeconds, d.startupSeconds))
    .addOption(num('--interval-seconds <I>', "seconds between evaluations (default: the config's evaluation_interval_seconds, 15)", r.intervalSeconds))
    .addOption(num('--slo-seconds <L>', "latency SLO (end - arrival), seconds: scores every run, is the tuned baselines' search target, and is given to our engine", r.sloSeconds, d.sloSeconds))
    .addOption(num('--slo-target <P>', 'share of jobs that must meet the SLO (searches and our engine)', r.sloTarget, d.sloTarget))
    .addOption(num('--seed <N>', 'random seed (arrivals within bins, service times)', r.seed, d.seed))
    .addOption(num('--max-workers <N>', 'fleet cap for every autoscaler (default: max(max_workers, 2 x busiest-bin load))', r.maxWorkers))
    .addOption(new Option('--scale-down <mode>', 'how workers are removed: drain (idle ones first, busy ones finish their job) or kubernetes (as a ReplicaSet picks pods; a busy one is killed after --grace-seconds and its job retried)')
      .choices(['drain', 'kubernetes']).default(d.scaleDown))
    .addOption(num('--grace-seconds <G>', 'kubernetes scale-down: seconds a busy worker gets after SIGTERM', r.graceSeconds, d.graceSeconds));
}

/** A numeric option of a simulation command with its rule (for the command's own options). */
export function simNumberOption(flags: string, description: string, rule: DecimalRule, dflt?: number): Option {
  return num(flags, description, rule, dflt);
}

/** camelCase engine keys set explicitly under `autoscaling:` in a YAML file (unreadable files: none). */
export function explicitEngineKeys(path: string): Set<string> {
  try {
    const doc = YAML.parse(readFileSync(path, 'utf8')) as { autoscaling?: unknown } | null;
    const section = doc?.autoscaling;
    if (section === null || typeof section !== 'object') return new Set();
    return new Set(Object.keys(section).map(snakeToCamel));
  } catch {
    return new Set();
  }
}

export interface LoadedConfig {
  file: AutoscalingConfig | undefined;
  scaling: ScalingConfig;
  explicitKeys: Set<string>;
}

/** `--config` (or the seed's defaults), with the keys it sets explicitly. */
export function loadConfigOption(path: string | undefined): LoadedConfig {
  if (path === undefined) return { file: undefined, scaling: resolveScalingConfig({}), explicitKeys: new Set() };
  const file = loadAutoscalingConfig(path);
  return { file, scaling: file.scaling, explicitKeys: explicitEngineKeys(path) };
}

/** The SimulationRequest fields the shared options set (the trace and policies come from the command). */
export function requestFromOptions(opts: SimCliOptions, loaded: LoadedConfig): Omit<SimulationRequest, 'trace' | 'policies'> {
  return {
    config: loaded.scaling,
    explicitKeys: loaded.explicitKeys,
    metricsWindowMinutes: loaded.file?.metricsWindowMinutes ?? 5,
    intervalSeconds: opts.intervalSeconds ?? loaded.file?.evaluationIntervalSeconds ?? SIM_DEFAULTS.intervalSeconds,
    ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
    ...(opts.peakLoad !== undefined ? { peakLoad: opts.peakLoad } : {}),
    ...(opts.maxWorkers !== undefined ? { maxWorkers: opts.maxWorkers } : {}),
    serviceTimeSeconds: opts.serviceTime,
    serviceCv: opts.serviceCv,
    startupSeconds: opts.startupSeconds,
    sloSeconds: opts.sloSeconds,
    sloTarget: opts.sloTarget,
    seed: opts.seed,
    scaleDown: opts.scaleDown,
    graceSeconds: opts.graceSeconds,
  };
}
