/**
 * `bountybot run`: the live controller on this machine — SQLite queue, worker processes scaled by
 * the engine every evaluation interval, JSON logs (one line per decision with its reasoning),
 * /metrics and the control API. SIGINT/SIGTERM: stop the loop, drain the workers, close the DB.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  loadAutoscalingConfig, parseAutoscalingConfig, type AutoscalingConfig,
} from '../config/load.js';
import { StoreOpenError } from '../adapters/sqlite-store.js';
import { ServerListenError } from '../server/http.js';
import { ControllerConflictError } from '../runtime/controller.js';
import { launchController, type LaunchedController, type LaunchSettings } from '../startup/launch.js';
import { createLogger, type Logger } from '../startup/logging.js';
import { DEFAULT_WORKER_SETTINGS, type WorkerSettings } from '../startup/wiring.js';
import { HandlerLoadError } from '../worker/handler.js';
import { UsageError } from './main.js';
import {
  isNonNegative, isPort, isPositive, isPositiveInt, onShutdownSignal, parseNumberOption,
} from './runtime-options.js';

export const DEFAULT_CONFIG_PATH = 'config/autoscaling.yaml';

interface RunCliOptions {
  config?: string;
  dryRun?: boolean;
  shadow?: boolean;
  port?: string;
  host?: string;
  db?: string;
  handler?: string;
  intervalSeconds?: string;
  workerConcurrency?: string;
  workerLeaseSeconds?: string;
  workerDrainTimeoutSeconds?: string;
  workerOrphanTimeoutSeconds?: string;
  workerLog?: string;
  jobRetentionHours?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the autoscaling controller: worker processes scaled live from the SQLite job queue, with /metrics and a control API')
    .option('--config <file>', `autoscaling config (YAML); default ${DEFAULT_CONFIG_PATH} if present, else built-in defaults`)
    .option('--dry-run', 'decide and log, never start or stop workers')
    .option('--shadow', 'shadow mode: observe a fleet scaled by something else, decide without acting, report what our policy would have run (cost, SLO) on the dashboard, /api/status and /metrics')
    .option('--port <n>', 'HTTP port (overrides http_port; 0 = any free port)')
    .option('--host <addr>', 'HTTP bind address (overrides http_host)')
    .option('--db <path>', 'SQLite database (overrides database_path)')
    .option('--handler <module>', 'validation handler module for the workers (overrides handler)')
    .option('--interval-seconds <s>', 'seconds between evaluations (overrides evaluation_interval_seconds)')
    .option('--worker-concurrency <n>', 'jobs each worker runs at once', String(DEFAULT_WORKER_SETTINGS.concurrency))
    .option('--worker-lease-seconds <s>', 'job visibility timeout (extended while a job runs)', String(DEFAULT_WORKER_SETTINGS.leaseSeconds))
    .option('--worker-drain-timeout-seconds <s>', 'on scale-down, how long a worker may finish its job', String(DEFAULT_WORKER_SETTINGS.drainTimeoutSeconds))
    .option('--worker-orphan-timeout-seconds <s>', 'workers stop when the controller is silent this long', String(DEFAULT_WORKER_SETTINGS.orphanTimeoutSeconds))
    .option('--job-retention-hours <h>', 'delete finished jobs this long after they ended', '168')
    .option('--worker-log <path>', 'file the workers log to (JSON lines), or "inherit" / "ignore"; default workers.log next to the database')
    .action(async (opts: RunCliOptions) => {
      const logger = createLogger('controller');
      const config = loadRunConfig(opts);
      const settings = runSettings(config, opts, logger);
      const controller = await launchOrExplain(settings);
      await untilSignal(controller, logger);
    });
}

/** The config file (or defaults) with the command-line overrides applied. */
export function loadRunConfig(opts: Pick<RunCliOptions, 'config' | 'port' | 'host' | 'db' | 'handler' | 'intervalSeconds'>): AutoscalingConfig {
  let config: AutoscalingConfig;
  if (opts.config !== undefined) config = loadAutoscalingConfig(opts.config);
  else if (existsSync(DEFAULT_CONFIG_PATH)) config = loadAutoscalingConfig(DEFAULT_CONFIG_PATH);
  else config = parseAutoscalingConfig('autoscaling: {}\n', '<defaults>');
  const port = parseNumberOption('--port', opts.port, isPort, 'an integer in [0, 65535]');
  const interval = parseNumberOption('--interval-seconds', opts.intervalSeconds, isPositive, 'a number > 0');
  if (opts.handler !== undefined && opts.handler.trim() === '') throw new UsageError('--handler must name a module');
  return {
    ...config,
    ...(port !== undefined ? { httpPort: port } : {}),
    ...(opts.host !== undefined ? { httpHost: opts.host } : {}),
    ...(opts.db !== undefined ? { databasePath: opts.db } : {}),
    ...(opts.handler !== undefined ? { handler: opts.handler } : {}),
    ...(interval !== undefined ? { evaluationIntervalSeconds: interval } : {}),
  };
}

function runSettings(config: AutoscalingConfig, opts: RunCliOptions, logger: Logger): LaunchSettings {
  const worker: WorkerSettings = {
    ...DEFAULT_WORKER_SETTINGS,
    concurrency: parseNumberOption('--worker-concurrency', opts.workerConcurrency, isPositiveInt, 'an integer >= 1') ?? DEFAULT_WORKER_SETTINGS.concurrency,
    leaseSeconds: parseNumberOption('--worker-lease-seconds', opts.workerLeaseSeconds, isPositive, 'a number > 0') ?? DEFAULT_WORKER_SETTINGS.leaseSeconds,
    drainTimeoutSeconds: parseNumberOption('--worker-drain-timeout-seconds', opts.workerDrainTimeoutSeconds, isNonNegative, 'a number >= 0') ?? DEFAULT_WORKER_SETTINGS.drainTimeoutSeconds,
    orphanTimeoutSeconds: parseNumberOption('--worker-orphan-timeout-seconds', opts.workerOrphanTimeoutSeconds, isPositive, 'a number > 0') ?? DEFAULT_WORKER_SETTINGS.orphanTimeoutSeconds,
    output: opts.workerLog ?? join(dirname(resolve(config.databasePath)), 'workers.log'),
  };
  worker.heartbeatSeconds = Math.min(DEFAULT_WORKER_SETTINGS.heartbeatSeconds, worker.leaseSeconds / 3);
  const jobRetentionHours = parseNumberOption('--job-retention-hours', opts.jobRetentionHours, isPositive, 'a number > 0');
  if (opts.shadow === true && opts.dryRun === true) throw new UsageError('--shadow and --dry-run are exclusive: shadow mode never acts anyway');
  return {
    config, dryRun: opts.dryRun === true, worker, logger, ...(jobRetentionHours !== undefined ? { jobRetentionHours } : {}),
    ...(opts.shadow === true || (config.mode === 'shadow' && opts.dryRun !== true)
      ? { shadow: opts.config !== undefined ? { configPath: opts.config } : {} } : {}),
    http: { host: config.httpHost, port: config.httpPort, ...(config.apiToken !== undefined ? { token: config.apiToken } : {}) },
  };
}

/** Launches; environment problems (DB path, handler, port, a second controller) become exit 2 with one line. */
export async function launchOrExplain(settings: LaunchSettings): Promise<LaunchedController> {
  try {
    return await launchController(settings);
  } catch (err) {
    if (err instanceof StoreOpenError || err instanceof HandlerLoadError || err instanceof ServerListenError
      || err instanceof ControllerConflictError) {
      throw new UsageError(err.message);
    }
    throw err;
  }
}

/** Runs until SIGINT/SIGTERM, then shuts down gracefully; a second signal leaves the workers for a restart to adopt. */
async function untilSignal(controller: LaunchedController, logger: Logger): Promise<void> {
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
  });
}
