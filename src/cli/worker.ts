/**
 * `bountybot worker`: one worker process. Leases validation jobs from the store and runs the
 * handler; SIGTERM/SIGINT drains (finishes running jobs, then exits); a second signal exits now.
 */
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DEFAULT_DATABASE_PATH } from '../adapters/sqlite-store.js';
import { openBackend } from '../startup/backend.js';
import { sqliteQueueUrl, type QueueUrl } from '../startup/queue-url.js';
import { UsageError } from '../autoscaling/errors.js';
import { createLogger } from '../startup/logging.js';
import { DEMO_HANDLER, loadHandler } from '../worker/handler.js';
import { Worker } from '../worker/worker.js';
import { decimal, logLevelOption, queueOption, RULES } from './options.js';
import { onShutdownSignal } from './runtime-options.js';

interface WorkerCliOptions {
  db: string;
  queue?: QueueUrl;
  handler: string;
  concurrency: number;
  workerId?: string;
  leaseSeconds: number;
  heartbeatSeconds: number;
  pollMs: number;
  drainTimeoutSeconds: number;
  jobTimeoutSeconds: number;
  managed?: boolean;
  orphanTimeoutSeconds: number;
  logLevel: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run one worker process: lease validation jobs from the store and run the handler')
    .addOption(queueOption('sqlite:<--db>').env('BOUNTYBOT_QUEUE'))
    .option('--db <path>', 'SQLite database file (the queue when --queue is not given)', DEFAULT_DATABASE_PATH)
    .option('--handler <module>', `module exporting async validate(job), or "${DEMO_HANDLER}" (sleeps a simulated AI-provider latency)`, DEMO_HANDLER)
    .option('--concurrency <n>', 'jobs run at once', decimal(RULES.concurrency), 1)
    .option('--worker-id <id>', 'identity in the worker registry (default: host-pid-random)')
    .option('--lease-seconds <s>', 'visibility timeout of a leased job (extended while it runs)', decimal(RULES.leaseSeconds), 30)
    .option('--heartbeat-seconds <s>', 'registry heartbeat and lease extension interval', decimal(RULES.heartbeatSeconds), 2)
    .option('--poll-ms <ms>', 'wait between polls of an empty queue', decimal(RULES.pollMs), 250)
    .option('--drain-timeout-seconds <s>', 'on SIGTERM, wait this long for running jobs', decimal(RULES.drainTimeoutSeconds), 30)
    .option('--job-timeout-seconds <s>', 'abort and retry a job running longer than this', decimal(RULES.jobTimeoutSeconds), 600)
    .option('--managed', 'started by a controller: exit when no controller heartbeat is seen for --orphan-timeout-seconds')
    .option('--orphan-timeout-seconds <s>', 'see --managed', decimal(RULES.orphanTimeoutSeconds), 60)
    .addOption(logLevelOption())
    .action(async (opts: WorkerCliOptions) => {
      await runWorkerCommand(opts);
    });
}

async function runWorkerCommand(opts: WorkerCliOptions): Promise<void> {
  if (opts.heartbeatSeconds >= opts.leaseSeconds) {
    throw new UsageError(`--heartbeat-seconds (${opts.heartbeatSeconds}) must be shorter than --lease-seconds (${opts.leaseSeconds})`);
  }
  const workerId = opts.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = createLogger('worker', { workerId }, { level: opts.logLevel });
  const handler = await loadHandler(opts.handler);
  const url = opts.queue ?? sqliteQueueUrl(opts.db);
  const leaseMs = opts.leaseSeconds * 1000;
  // BullMQ's stalled-job check every half lease: a crashed worker's job runs again within ~2 leases.
  // A pool-started worker may come up during a Redis outage: it waits (the pool's start timeout bounds that).
  const backend = await openBackend(url, 'worker', {
    stalledIntervalMs: Math.min(30_000, Math.max(250, leaseMs / 2)), connectTimeoutMs: opts.managed === true ? 55_000 : 5_000,
  });
  logger.info({ queue: url.display }, 'worker queue');

  const worker = new Worker({
    workerId, queue: backend.queue, registry: backend.registry, state: backend.store, handler, logger,
    concurrency: opts.concurrency, leaseMs, heartbeatMs: opts.heartbeatSeconds * 1000,
    pollMs: opts.pollMs, drainTimeoutMs: opts.drainTimeoutSeconds * 1000, jobTimeoutMs: opts.jobTimeoutSeconds * 1000,
    managed: opts.managed === true, orphanTimeoutMs: opts.orphanTimeoutSeconds * 1000,
  });
  const off = onShutdownSignal(
    (signal) => worker.drain(`received ${signal}`),
    (signal) => {
      logger.warn({ signal }, 'second signal: exiting now; leased jobs will be retried after their lease expires');
      void backend.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    },
  );
  try {
    await worker.run();
  } finally {
    off();
    await backend.close();
  }
}
