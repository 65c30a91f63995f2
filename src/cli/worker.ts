/**
 * `bountybot worker`: one worker process. Leases validation jobs from the store and runs the
 * handler; SIGTERM/SIGINT drains (finishes running jobs, then exits); a second signal exits now.
 */
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { SqliteStore, StoreOpenError, DEFAULT_DATABASE_PATH } from '../adapters/sqlite-store.js';
import { createLogger } from '../startup/logging.js';
import { DEMO_HANDLER, HandlerLoadError, loadHandler, type ValidationHandler } from '../worker/handler.js';
import { Worker } from '../worker/worker.js';
import { UsageError } from './main.js';
import { isNonNegative, isPositive, isPositiveInt, onShutdownSignal, parseNumberOption } from './runtime-options.js';

interface WorkerCliOptions {
  db: string;
  handler: string;
  concurrency: string;
  workerId?: string;
  leaseSeconds: string;
  heartbeatSeconds: string;
  pollMs: string;
  drainTimeoutSeconds: string;
  jobTimeoutSeconds: string;
  managed?: boolean;
  orphanTimeoutSeconds: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run one worker process: lease validation jobs from the store and run the handler')
    .option('--db <path>', 'SQLite database file', DEFAULT_DATABASE_PATH)
    .option('--handler <module>', `module exporting async validate(job), or "${DEMO_HANDLER}" (sleeps a simulated AI-provider latency)`, DEMO_HANDLER)
    .option('--concurrency <n>', 'jobs run at once', '1')
    .option('--worker-id <id>', 'identity in the worker registry (default: host-pid-random)')
    .option('--lease-seconds <s>', 'visibility timeout of a leased job (extended while it runs)', '30')
    .option('--heartbeat-seconds <s>', 'registry heartbeat and lease extension interval', '2')
    .option('--poll-ms <ms>', 'wait between polls of an empty queue', '250')
    .option('--drain-timeout-seconds <s>', 'on SIGTERM, wait this long for running jobs', '30')
    .option('--job-timeout-seconds <s>', 'abort and retry a job running longer than this', '600')
    .option('--managed', 'started by a controller: exit when no controller heartbeat is seen for --orphan-timeout-seconds')
    .option('--orphan-timeout-seconds <s>', 'see --managed', '60')
    .action(async (opts: WorkerCliOptions) => {
      const code = await runWorkerCommand(opts);
      if (code !== 0) process.exitCode = code;
    });
}

async function runWorkerCommand(opts: WorkerCliOptions): Promise<number> {
  const num = (flag: string, raw: string, rule: (v: number) => boolean, text: string): number =>
    parseNumberOption(flag, raw, rule, text) as number;
  const concurrency = num('--concurrency', opts.concurrency, isPositiveInt, 'an integer >= 1');
  const leaseMs = num('--lease-seconds', opts.leaseSeconds, isPositive, 'a number > 0') * 1000;
  const heartbeatMs = num('--heartbeat-seconds', opts.heartbeatSeconds, isPositive, 'a number > 0') * 1000;
  const pollMs = num('--poll-ms', opts.pollMs, isPositive, 'a number > 0');
  const drainTimeoutMs = num('--drain-timeout-seconds', opts.drainTimeoutSeconds, isNonNegative, 'a number >= 0') * 1000;
  const jobTimeoutMs = num('--job-timeout-seconds', opts.jobTimeoutSeconds, isPositive, 'a number > 0') * 1000;
  const orphanTimeoutMs = num('--orphan-timeout-seconds', opts.orphanTimeoutSeconds, isPositive, 'a number > 0') * 1000;
  if (heartbeatMs >= leaseMs) {
    throw new UsageError(`--heartbeat-seconds (${heartbeatMs / 1000}) must be shorter than --lease-seconds (${leaseMs / 1000})`);
  }
  const workerId = opts.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = createLogger('worker', { workerId });

  let handler: ValidationHandler;
  try {
    handler = await loadHandler(opts.handler);
  } catch (err) {
    if (err instanceof HandlerLoadError) throw new UsageError(err.message);
    throw err;
  }
  let store: SqliteStore;
  try {
    store = SqliteStore.open({ path: opts.db });
  } catch (err) {
    if (err instanceof StoreOpenError) throw new UsageError(err.message);
    throw err;
  }

  const worker = new Worker({
    workerId, queue: store.queue, registry: store, state: store, handler, logger, concurrency, leaseMs,
    heartbeatMs, pollMs, drainTimeoutMs, jobTimeoutMs, managed: opts.managed === true, orphanTimeoutMs,
  });
  const off = onShutdownSignal(
    (signal) => worker.drain(`received ${signal}`),
    (signal) => {
      logger.warn({ signal }, 'second signal: exiting now; leased jobs will be retried after their lease expires');
      store.close();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    },
  );
  try {
    await worker.run();
    return 0;
  } finally {
    off();
    store.close();
  }
}
