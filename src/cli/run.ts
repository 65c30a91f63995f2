/**
 * `bountybot run`: the live controller on this machine — SQLite or Redis queue, worker processes scaled by
 * the engine every evaluation interval, JSON logs (one line per decision with its reasoning),
 * /metrics and the control API. SIGINT/SIGTERM: stop the loop, drain the workers, close the DB.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  loadAutoscalingConfig, parseAutoscalingConfig, type AutoscalingConfig,
} from '../config/load.js';
import { UsageError } from '../autoscaling/errors.js';
import { launchController, type LaunchedController, type LaunchSettings } from '../startup/launch.js';
import { createLogger, type Logger } from '../startup/logging.js';
import { DEFAULT_WORKER_SETTINGS, type WorkerSettings } from '../startup/wiring.js';
import type { QueueUrl } from '../startup/queue-url.js';
import { decimal, logLevelOption, queueOption, RULES } from './options.js';
import { onShutdownSignal } from './runtime-options.js';
import { addKubernetesOptions, kubernetesSettings, type KubernetesCliOptions } from './kubernetes-options.js';

export const DEFAULT_CONFIG_PATH = 'config/autoscaling.yaml';
export const DEFAULT_JOB_RETENTION_HOURS = 168;

interface RunCliOptions extends KubernetesCliOptions {
  config?: string;
  dryRun?: boolean;
  shadow?: boolean;
  port?: number;
  host?: string;
  db?: string;
  handler?: string;
  intervalSeconds?: number;
  workerConcurrency: number;
  workerLeaseSeconds: number;
  workerDrainTimeoutSeconds: number;
  workerOrphanTimeoutSeconds: number;
  workerLog?: string;
  jobRetentionHours: number;
  logLevel: string;
  queue?: QueueUrl;
  fallbackAfterTicks?: number;
  fallbackWorkers?: number;
  controllerLeaseSeconds: number;
}

/** Default of --controller-lease-seconds: a dead leader is replaced within this (+ one renew period). */
export const DEFAULT_CONTROLLER_LEASE_SECONDS = 10;

export function registerRun(program: Command): void {
  const w = DEFAULT_WORKER_SETTINGS;
  addKubernetesOptions(program.command('run'))
    .description('run the autoscaling controller: worker processes (or a Kubernetes Deployment) scaled live from the job queue, with /metrics and a control API')
    .option('--config <file>', `autoscaling config (YAML); default ${DEFAULT_CONFIG_PATH} if present, else built-in defaults`)
    .option('--dry-run', 'decide and log, never start or stop workers; keeps pause/override and its state in memory only')
    .option('--shadow', 'shadow mode: observe a fleet scaled by something else, decide without acting, report what our policy would have run (cost, SLO) on the dashboard, /api/status and /metrics')
    .option('--port <n>', 'HTTP port (overrides http_port; 0 = any free port)', decimal(RULES.port))
    .option('--host <addr>', 'HTTP bind address (overrides http_host)')
    .addOption(queueOption('queue_url, else sqlite:<database_path>'))
    .option('--db <path>', 'SQLite database (overrides database_path)')
    .option('--handler <module>', 'validation handler module for the workers (overrides handler)')
    .option('--interval-seconds <s>', 'seconds between evaluations (overrides evaluation_interval_seconds)', decimal(RULES.intervalSeconds))
    .option('--worker-concurrency <n>', 'jobs each worker runs at once', decimal(RULES.concurrency), w.concurrency)
    .option('--worker-lease-seconds <s>', 'job visibility timeout (extended while a job runs)', decimal(RULES.leaseSeconds), w.leaseSeconds)
    .option('--worker-drain-timeout-seconds <s>', 'on scale-down, how long a worker may finish its job', decimal(RULES.drainTimeoutSeconds), w.drainTimeoutSeconds)
    .option('--worker-orphan-timeout-seconds <s>', 'workers stop when the controller is silent this long', decimal(RULES.orphanTimeoutSeconds), w.orphanTimeoutSeconds)
    .option('--job-retention-hours <h>', 'delete finished jobs this long after they ended', decimal(RULES.jobRetentionHours), DEFAULT_JOB_RETENTION_HOURS)
    .option('--fallback-after-ticks <n>', 'hold the fleet after this many failed metrics reads in a row (overrides fallback_after_ticks)', decimal(RULES.fallbackAfterTicks))
    .option('--fallback-workers <n>', 'while falling back, hold at least this many workers (overrides fallback_workers)', decimal(RULES.fallbackWorkers))
    .option('--controller-lease-seconds <s>', 'controller lease TTL: a standby takes over this long after the leader died; renewed every fifth of it (at most every 2 s)', decimal(RULES.controllerLeaseSeconds), DEFAULT_CONTROLLER_LEASE_SECONDS)
    .option('--worker-log <path>', 'file the workers log to (JSON lines), or "inherit" / "ignore"; default workers.log next to the database')
    .addOption(logLevelOption())
    .action(async (opts: RunCliOptions) => {
      const logger = createLogger('controller', {}, { level: opts.logLevel });
      const config = loadRunConfig(opts);
      let stopOnLeaseLoss: (() => void) | undefined;
      const settings: LaunchSettings = {
        ...runSettings(config, opts, logger),
        onLeaseLost: () => stopOnLeaseLoss?.(),
      };
      const controller = await launchController(settings);
      await untilSignal(controller, logger, (stop) => { stopOnLeaseLoss = stop; });
    });
}

/** The config file (or defaults) with the command-line overrides applied. */
export function loadRunConfig(opts: Pick<RunCliOptions, 'config' | 'port' | 'host' | 'db' | 'handler' | 'intervalSeconds' | 'fallbackAfterTicks' | 'fallbackWorkers'>): AutoscalingConfig {
  let config: AutoscalingConfig;
  if (opts.config !== undefined) config = loadAutoscalingConfig(opts.config);
  else if (existsSync(DEFAULT_CONFIG_PATH)) config = loadAutoscalingConfig(DEFAULT_CONFIG_PATH);
  else config = parseAutoscalingConfig('autoscaling: {}\n', '<defaults>');
  if (opts.handler !== undefined && opts.handler.trim() === '') throw new UsageError('--handler must name a module');
  if (opts.fallbackWorkers !== undefined && opts.fallbackWorkers > config.scaling.maxWorkers) {
    throw new UsageError(`--fallback-workers must be <= max_workers (${config.scaling.maxWorkers}); got ${opts.fallbackWorkers}`);
  }
  return {
    ...config,
    ...(opts.port !== undefined ? { httpPort: opts.port } : {}),
    ...(opts.host !== undefined ? { httpHost: opts.host } : {}),
    ...(opts.db !== undefined ? { databasePath: opts.db } : {}),
    ...(opts.handler !== undefined ? { handler: opts.handler } : {}),
    ...(opts.intervalSeconds !== undefined ? { evaluationIntervalSeconds: opts.intervalSeconds } : {}),
    ...(opts.fallbackAfterTicks !== undefined ? { fallbackAfterTicks: opts.fallbackAfterTicks } : {}),
    ...(opts.fallbackWorkers !== undefined ? { fallbackWorkers: opts.fallbackWorkers } : {}),
  };
}

function runSettings(config: AutoscalingConfig, opts: RunCliOptions, logger: Logger): LaunchSettings {
  const worker: WorkerSettings = {
    ...DEFAULT_WORKER_SETTINGS,
    concurrency: opts.workerConcurrency,
    leaseSeconds: opts.workerLeaseSeconds,
    drainTimeoutSeconds: opts.workerDrainTimeoutSeconds,
    orphanTimeoutSeconds: opts.workerOrphanTimeoutSeconds,
    output: opts.workerLog ?? join(dirname(resolve(config.databasePath)), 'workers.log'),
    logLevel: opts.logLevel,
  };
  worker.heartbeatSeconds = Math.min(DEFAULT_WORKER_SETTINGS.heartbeatSeconds, worker.leaseSeconds / 3);
  if (opts.shadow === true && opts.dryRun === true) throw new UsageError('--shadow and --dry-run are exclusive: shadow mode never acts anyway');
  const kubernetes = kubernetesSettings(opts, config.kubernetes);
  return {
    config, dryRun: opts.dryRun === true, worker, logger, jobRetentionHours: opts.jobRetentionHours,
    ...(opts.queue !== undefined ? { queue: opts.queue } : {}),
    leaseMs: opts.controllerLeaseSeconds * 1000, heartbeatMs: Math.min(2000, (opts.controllerLeaseSeconds * 1000) / 5),
    ...(kubernetes ? { kubernetes } : {}),
    ...(opts.shadow === true || (config.mode === 'shadow' && opts.dryRun !== true)
      ? { shadow: opts.config !== undefined ? { configPath: opts.config } : {} } : {}),
    http: { host: config.httpHost, port: config.httpPort, ...(config.apiToken !== undefined ? { token: config.apiToken } : {}) },
  };
}

/**
 * Runs until SIGINT/SIGTERM, then shuts down gracefully; a second signal leaves the workers for a
 * restart to adopt. If another controller takes the lease over, exits 1 leaving the workers to it.
 */
async function untilSignal(controller: LaunchedController, logger: Logger, onLeaseLoss: (stop: () => void) => void): Promise<void> {
  await new Promise<void>((resolveStop) => {
    const off = onShutdownSignal(
      (signal) => {
        logger.info({ signal }, 'shutting down: stopping the loop and draining workers (signal again to exit now)');
        void controller.shutdown({ stopWorkers: true }).finally(() => { off(); resolveStop(); });
      },
      (signal) => {
        logger.warn({ signal }, 'second signal: exiting now; running workers will be adopted by the next controller or stop by themselves');
        process.exit(signal === 'SIGINT' ? 130 : 143);
      },
    );
    onLeaseLoss(() => {
      void controller.shutdown({ stopWorkers: false }).finally(() => { off(); process.exitCode = 1; resolveStop(); });
    });
  });
}
