/**
 * Options `simulate` and `tune` share (the workload, the simulated system, the SLO), declared once
 * with their ranges, and the config-file helpers both need.
 */
import { Option, type Command } from 'commander';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { loadAutoscalingConfig, type AutoscalingConfig } from '../autoscaling/config.js';
import { snakeToCamel } from '../autoscaling/engine-config.js';
import { resolveScalingConfig, type ScalingConfig } from '../autoscaling/scaling-config.js';
import { SIM_DEFAULTS, type SimulationRequest } from '../sim/run.js';
import type { ScaleDownMode } from '../sim/types.js';
import { decimalOption } from './numbers.js';

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

const MAX_SECONDS = 7 * 86_400;

const num = (flags: string, description: string, name: string, range: Parameters<typeof decimalOption>[1], dflt?: number): Option => {
  const o = new Option(flags, description).argParser(decimalOption(name, range));
  return dflt !== undefined ? o.default(dflt) : o;
};

/** Adds the workload, system and SLO options to `cmd`. */
export function addSimulationOptions(cmd: Command): Command {
  const d = SIM_DEFAULTS;
  return cmd
    .option('--config <file>', "autoscaling YAML (default: the seed's settings)")
    .addOption(num('--scale <F>', 'multiply every bin count by F (0, 1e6]', '--scale', { min: 0, minExclusive: true, max: 1e6 }))
    .addOption(num('--peak-load <E>', 'rescale so the busiest clock hour offers E workers of load (rate x mean service time), (0, 1e6]', '--peak-load', { min: 0, minExclusive: true, max: 1e6 }))
    .addOption(num('--service-time <S>', 'mean service time, seconds (lognormal), (0, 86400]', '--service-time', { min: 0, minExclusive: true, max: 86_400 }, d.serviceTimeSeconds))
    .addOption(num('--service-cv <C>', 'coefficient of variation of the service time, [0, 10]', '--service-cv', { min: 0, max: 10 }, d.serviceCv))
    .addOption(num('--startup-seconds <T>', 'seconds from requesting a worker to it taking jobs (paid from the request), [0, 86400]', '--startup-seconds', { min: 0, max: 86_400 }, d.startupSeconds))
    .addOption(num('--interval-seconds <I>', "seconds between evaluations, [1, 3600] (default: the config's evaluation_interval_seconds, 15)", '--interval-seconds', { min: 1, max: 3600 }))
    .addOption(num('--slo-seconds <L>', 'latency SLO (end - arrival), seconds: scores every run, is the tuned baselines\' search target, and is given to our engine; (0, 604800]', '--slo-seconds', { min: 0, minExclusive: true, max: MAX_SECONDS }, d.sloSeconds))
    .addOption(num('--slo-target <P>', 'share of jobs that must meet the SLO (searches and our engine), (0, 1]', '--slo-target', { min: 0, minExclusive: true, max: 1 }, d.sloTarget))
    .addOption(num('--seed <N>', 'random seed (arrivals within bins, service times), an integer >= 0', '--seed', { min: 0, integer: true }, d.seed))
    .addOption(num('--max-workers <N>', 'fleet cap for every autoscaler, [1, 100000] (default: max(max_workers, 2 x busiest-bin load))', '--max-workers', { min: 1, max: 100_000, integer: true }))
    .addOption(new Option('--scale-down <mode>', 'how workers are removed: drain (idle ones first, busy ones finish their job) or kubernetes (as a ReplicaSet picks pods; a busy one is killed after --grace-seconds and its job retried)')
      .choices(['drain', 'kubernetes']).default(d.scaleDown))
    .addOption(num('--grace-seconds <G>', 'kubernetes scale-down: seconds a busy worker gets after SIGTERM, [0, 86400]', '--grace-seconds', { min: 0, max: 86_400 }, d.graceSeconds));
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
