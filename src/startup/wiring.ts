/**
 * Builds the live controller from a loaded config: the queue backend its URL names (SQLite file,
 * or Redis/BullMQ with the controller state and lease beside it), the `queue` metrics source,
 * the `process-pool` actuator (or a read-only fleet view in dry-run), our engine as the policy.
 * Shared by `bountybot run` and `bountybot start`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { AutoscalingConfig } from '../config/load.js';
import { ProcessPool } from '../adapters/process-pool.js';
import { SqliteTickHistory } from '../adapters/sqlite-tick-history.js';
import { systemLoopClock } from '../adapters/system-clock.js';
import { createEnginePolicy } from '../control/engine-policy.js';
import { QueueMetricsSource } from '../control/queue-metrics-source.js';
import { registryFleet } from '../control/registry-fleet.js';
import type { Actuator, LoopClock, TickHistory } from '../control/interfaces.js';
import type { TickResult } from '../control/loop.js';
import { isDemoHandler, loadHandler, DEMO_HANDLER } from '../worker/handler.js';
import { ControllerRuntime } from '../runtime/controller.js';
import type { Logger } from '../control/ports.js';
import type { FallbackSettings } from '../control/fallback.js';
import { openBackend, type QueueBackend } from './backend.js';
import { parseQueueUrl, sqliteQueueUrl, type QueueUrl } from './queue-url.js';
import { KubernetesFleet, type KubernetesSettings } from './kubernetes-fleet.js';
import { createShadowAnalyzer, createTickRecorder, objectivesOf, type ShadowSettings } from './observability.js';

/** How the pool starts and tunes worker processes (not in the YAML: flags of `run`). */
export interface WorkerSettings {
  /** Executable + arguments that run `bountybot worker`; default: this very program (see selfWorkerCommand). */
  command?: { command: string; args: string[] };
  concurrency: number;
  leaseSeconds: number;
  heartbeatSeconds: number;
  pollMs: number;
  drainTimeoutSeconds: number;
  orphanTimeoutSeconds: number;
  /** Worker stdout/stderr: file path, 'inherit' or 'ignore'. */
  output: string;
  env?: NodeJS.ProcessEnv;
  /** Passed to each worker as --log-level; default: the worker's own (BOUNTYBOT_LOG_LEVEL, else info). */
  logLevel?: string;
}

export const DEFAULT_WORKER_SETTINGS: Readonly<WorkerSettings> = Object.freeze({
  concurrency: 1, leaseSeconds: 30, heartbeatSeconds: 2, pollMs: 250, drainTimeoutSeconds: 30,
  orphanTimeoutSeconds: 60, output: 'ignore',
});

export interface ControllerSettings {
  config: AutoscalingConfig;
  dryRun: boolean;
  worker: WorkerSettings;
  logger: Logger;
  clock?: LoopClock;
  /** Arrival/completion rate window, ms. Default 60000. */
  rateWindowMs?: number;
  /** Controller heartbeat and lease renewal, ms (workers' orphan detection). Default 2000. */
  heartbeatMs?: number;
  /** How long the controller lease lasts unrenewed, ms: a controller killed with -9 is replaced after this. Default 5 heartbeats. */
  leaseMs?: number;
  /** See ControllerRuntimeOptions.onLeaseLost. */
  onLeaseLost?: (holder: string | undefined) => void;
  onTick?: (result: TickResult, runtime: ControllerRuntime) => void;
  /** Completed and dead-lettered jobs are deleted this long after they ended, hours. Default 168 (a week). */
  jobRetentionHours?: number;
  /** The queue backend (--queue); default the config's queue_url, else sqlite:<database_path>. */
  queue?: QueueUrl;
  /** `--actuator kubernetes`: scale a worker Deployment (or serve HPA / KEDA) instead of a local process pool. */
  kubernetes?: KubernetesSettings;
  /** Shadow mode: observe the fleet something else scales, decide without acting, report the counterfactual. */
  shadow?: ShadowSettings;
}

export interface BuiltController {
  runtime: ControllerRuntime;
  /** Queue, worker registry and controller store of the chosen backend. */
  backend: QueueBackend;
  pool?: ProcessPool;
  /** The queue URL, safe to print. */
  queueDisplay: string;
  kubernetes?: KubernetesFleet;
}

/** `bountybot worker` as this process was started: the same node, loader flags and entry script. */
export function selfWorkerCommand(): { command: string; args: string[] } {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot tell how this program was started; pass a worker command');
  return { command: process.execPath, args: [...process.execArgv, script, 'worker'] };
}

/** Handler spec as workers should receive it: absolute for paths, unchanged for the demo and packages. */
export function absoluteHandlerSpec(spec: string, cwd = process.cwd()): string {
  if (isDemoHandler(spec)) return DEMO_HANDLER;
  return spec.startsWith('.') || /\.(m?[jt]s|cjs)$/.test(spec) ? (isAbsolute(spec) ? spec : resolve(cwd, spec)) : spec;
}

/**
 * Opens the store and checks the handler loads before anything starts; throws StoreOpenError /
 * HandlerLoadError (the CLI turns them into exit code 2).
 */
export async function buildController(s: ControllerSettings): Promise<BuiltController> {
  const { config, logger } = s;
  await loadHandler(config.handler);
  const handler = absoluteHandlerSpec(config.handler);
  const url = s.queue ?? (config.queueUrl !== undefined ? parseQueueUrl(config.queueUrl, 'autoscaling.queue_url') : sqliteQueueUrl(config.databasePath));
  // Workers may start in another directory: they get an absolute SQLite path.
  const workerUrl = url.kind === 'sqlite' ? sqliteQueueUrl(resolve(url.path)) : url;
  const backend = await openBackend(url, 'controller', { localStatePath: resolve(config.databasePath) });
  const { queue, registry, store } = backend;
  try {
    const scaling = config.scaling;
    const policy = createEnginePolicy(scaling);
    const source = new QueueMetricsSource(queue, registry, {
      windowMs: config.metricsWindowMinutes * 60_000, rateWindowMs: s.rateWindowMs ?? 60_000,
    });
    // --shadow, or `mode: shadow` unless --dry-run says otherwise.
    const shadowSettings = s.shadow ?? (config.mode === 'shadow' && !s.dryRun ? {} : undefined);
    const shadow = shadowSettings !== undefined;
    const dryRun = s.dryRun || shadow || !config.enabled || config.mode === 'dry-run';
    if (!config.enabled && !s.dryRun && !shadow) logger.warn({}, 'autoscaling.enabled is false: deciding and logging only (as --dry-run)');
    const instanceId = randomUUID();
    const w = s.worker;
    let pool: ProcessPool | undefined;
    let kubernetes: KubernetesFleet | undefined;
    let actuator: Actuator;
    if (s.kubernetes) {
      // In dry-run and shadow mode the loop never calls scaleTo and the fleet is not started: a read-only view of the Deployment.
      kubernetes = new KubernetesFleet(s.kubernetes, {
        maxWorkers: scaling.maxWorkers, registry, logger, intervalMs: config.evaluationIntervalSeconds * 1000,
      });
      actuator = kubernetes;
    } else if (dryRun) {
      actuator = registryFleet(registry);
    } else {
      const cmd = w.command ?? selfWorkerCommand();
      // A URL with a password goes through the environment, not the (world-readable) command line.
      const secret = workerUrl.kind === 'redis' && workerUrl.target.password !== undefined;
      const env = secret ? { ...(w.env ?? process.env), BOUNTYBOT_QUEUE: workerUrl.text } : w.env;
      pool = new ProcessPool({
        registry, controllerId: instanceId, command: cmd.command,
        args: [...cmd.args, ...(secret ? [] : ['--queue', workerUrl.text]), '--handler', handler, '--concurrency', String(w.concurrency),
          '--lease-seconds', String(w.leaseSeconds), '--heartbeat-seconds', String(w.heartbeatSeconds),
          '--poll-ms', String(w.pollMs), '--drain-timeout-seconds', String(w.drainTimeoutSeconds),
          '--orphan-timeout-seconds', String(w.orphanTimeoutSeconds), ...(w.logLevel !== undefined ? ['--log-level', w.logLevel] : [])],
        ...(env ? { env } : {}),
        output: w.output, maxWorkers: scaling.maxWorkers,
        stopTimeoutMs: (w.drainTimeoutSeconds + 15) * 1000,
        heartbeatStaleMs: Math.max(30_000, w.heartbeatSeconds * 5000),
        logger,
      });
      actuator = pool;
    }
    const budget = () => policy.engine.costOptimizer.getBudgetStatus();
    const objectives = objectivesOf(config);
    const mode = shadow ? 'shadow' : dryRun ? 'dry-run' : 'live';
    // A controller that does not act keeps its history in memory: it never writes the shared store.
    const history: TickHistory = dryRun ? SqliteTickHistory.inMemory() : backend.tickHistory();
    const heartbeatMs = s.heartbeatMs ?? 2000;
    const elector = dryRun ? undefined : backend.leaderElector({
      identity: `${hostname()}/pid ${process.pid}/${instanceId}`, leaseMs: s.leaseMs ?? 5 * heartbeatMs,
    });
    const fallback: FallbackSettings = {
      afterTicks: config.fallbackAfterTicks, minWorkers: scaling.minWorkers, maxWorkers: scaling.maxWorkers,
      ...(config.fallbackWorkers !== undefined ? { workers: config.fallbackWorkers } : {}),
    };
    const runtime = new ControllerRuntime({
      store, queue, source, policy, actuator, ...(pool ? { pool } : {}), ...(elector ? { elector } : {}), fallback,
      ...(kubernetes && !dryRun ? { pool: kubernetes } : {}),
      // Replicas on a shared (Redis) store stand by; on a SQLite file a second controller is a mistake.
      standby: url.kind === 'redis',
      insight: { forecast: () => policy.lastDecision?.prediction, budget },
      mode, objectives, history,
      backend: { queue: url.display, ...(url.kind === 'sqlite' ? { database: resolve(url.path) } : {}), actuator: actuatorName(s.kubernetes, dryRun) },
      recorder: createTickRecorder({ history, jobs: backend.jobHistory, mode, config, objectives, budget, logger }),
      ...(shadowSettings
        ? { shadow: createShadowAnalyzer({ history, jobs: backend.jobHistory, config, objectives, settings: shadowSettings, databasePath: resolve(config.databasePath), logger }) }
        : {}),
      clock: s.clock ?? systemLoopClock, intervalMs: config.evaluationIntervalSeconds * 1000, dryRun,
      maxWorkers: scaling.maxWorkers, costPerWorkerHour: scaling.costConfig.costPerWorkerHour, logger, instanceId,
      heartbeatMs,
      ...(s.onTick || kubernetes ? {
        onTick: (result: TickResult, rt: ControllerRuntime) => {
          kubernetes?.onTick(result, rt.gauges().desiredWorkers);
          s.onTick?.(result, rt);
        },
      } : {}),
      ...(s.onLeaseLost ? { onLeaseLost: s.onLeaseLost } : {}),
      housekeeping: async (now) => {
        const purged = await backend.purgeEnded(new Date(now.getTime() - (s.jobRetentionHours ?? 168) * 3_600_000));
        const pruned = await registry.pruneWorkers(24 * 3_600_000);
        backend.tickHistory().pruneTicks();
        if (purged + pruned > 0) logger.info({ purgedJobs: purged, prunedWorkerRows: pruned }, 'housekeeping');
      },
    });
    return { runtime, backend, ...(pool ? { pool } : {}), ...(kubernetes ? { kubernetes } : {}), queueDisplay: url.display };
  } catch (err) {
    await backend.close();
    throw err;
  }
}

/** The actuator as the status and the dashboard name it. */
function actuatorName(kubernetes: KubernetesSettings | undefined, dryRun: boolean): string {
  if (kubernetes) return `kubernetes ${kubernetes.mode} (${dryRun ? 'read-only' : 'acting'})`;
  return dryRun ? 'worker registry (read-only)' : 'process pool';
}
