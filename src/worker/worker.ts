/**
 * A worker process's main loop: lease jobs, run the handler, complete or fail them; heartbeat
 * (registry row + lease extension) so long jobs keep their lease and the pool sees it alive;
 * drain on request (finish running jobs, lease no more, give up after the drain timeout —
 * the leases then expire and the jobs are retried elsewhere).
 */
import {
  CONTROLLER_HEARTBEAT_KEY, type ControllerHeartbeat, type HeartbeatStore, type JobId, type JobQueue, type LeasedJob,
  type Logger, type WorkerRegistry, type WorkerState,
} from '../control/ports.js';
import { isPermanentJobError } from '../autoscaling/errors.js';
import type { ValidationHandler } from './handler.js';

export interface WorkerOptions {
  workerId: string;
  queue: JobQueue;
  registry: WorkerRegistry;
  state: HeartbeatStore;
  handler: ValidationHandler;
  logger: Logger;
  /** Jobs run at once. Default 1. */
  concurrency?: number;
  /** Visibility timeout of a lease, ms; extended every heartbeat. Default 30000. */
  leaseMs?: number;
  /** Default 2000; must be well below `leaseMs`. */
  heartbeatMs?: number;
  /** Wait between polls of an empty queue, ms. Default 250. */
  pollMs?: number;
  /** After a drain request, give running jobs this long, ms. Default 30000. */
  drainTimeoutMs?: number;
  /** A job running longer is aborted and failed (retried with backoff), ms. Default 600000. */
  jobTimeoutMs?: number;
  /** Started by a controller's pool: stop when no controller heartbeat is seen for `orphanTimeoutMs`. */
  managed?: boolean;
  /** Default 60000. */
  orphanTimeoutMs?: number;
  now?: () => number;
}

interface Running {
  job: LeasedJob;
  abort: AbortController;
  done: Promise<void>;
}

export class Worker {
  private readonly o: Required<Omit<WorkerOptions, 'managed'>> & { managed: boolean };
  private readonly running = new Map<JobId, Running>();
  private readonly stopRequested = new AbortController();
  private jobsDone = 0;
  private state: WorkerState = 'starting';
  private wake: (() => void) | undefined;
  /** Since when the leading controller is not the one that manages this worker. */
  private foreignSince: number | undefined;

  constructor(opts: WorkerOptions) {
    this.o = {
      concurrency: 1, leaseMs: 30_000, heartbeatMs: 2_000, pollMs: 250, drainTimeoutMs: 30_000,
      jobTimeoutMs: 600_000, orphanTimeoutMs: 60_000, now: Date.now, ...opts, managed: opts.managed === true,
    };
    if (!(Number.isInteger(this.o.concurrency) && this.o.concurrency >= 1)) {
      throw new RangeError(`concurrency must be an integer >= 1; got ${String(this.o.concurrency)}`);
    }
    if (!(this.o.heartbeatMs < this.o.leaseMs)) {
      throw new RangeError(`heartbeat interval (${this.o.heartbeatMs} ms) must be shorter than the lease (${this.o.leaseMs} ms)`);
    }
  }

  get completedJobs(): number {
    return this.jobsDone;
  }

  /** Asks the loop to drain: no new leases, running jobs finish (up to the drain timeout). */
  drain(reason: string): void {
    if (this.stopRequested.signal.aborted) return;
    this.o.logger.info({ reason, running: this.running.size }, 'draining');
    this.stopRequested.abort();
    this.wake?.();
  }

  /** Runs until drained; resolves with the number of jobs left unfinished (0 after a clean drain). */
  async run(): Promise<number> {
    const { logger } = this.o;
    await this.report('ready');
    logger.info({ concurrency: this.o.concurrency, leaseMs: this.o.leaseMs, managed: this.o.managed }, 'worker ready');
    const heartbeat = setInterval(() => { void this.heartbeat(); }, this.o.heartbeatMs);
    try {
      await this.leaseLoop();
      await this.report('draining');
      const left = await this.waitForRunning(this.o.drainTimeoutMs);
      if (left > 0) {
        logger.warn({ left, drainTimeoutMs: this.o.drainTimeoutMs },
          'drain timeout: unfinished jobs stay leased and will be retried after their lease expires');
      }
      return left;
    } finally {
      clearInterval(heartbeat);
      await this.report('stopped');
      logger.info({ jobsDone: this.jobsDone }, 'worker stopped');
    }
  }

  private async leaseLoop(): Promise<void> {
    const stop = this.stopRequested.signal;
    while (!stop.aborted) {
      const free = this.o.concurrency - this.running.size;
      if (free <= 0) {
        await this.pause(this.o.pollMs);
        continue;
      }
      let jobs: LeasedJob[] = [];
      try {
        jobs = await this.o.queue.lease(this.o.workerId, this.o.leaseMs, free);
      } catch (err) {
        this.o.logger.warn({ err: message(err) }, 'lease failed; retrying');
      }
      // Jobs leased just as a drain was requested are ours now: run them; the drain waits for them.
      for (const job of jobs) this.start(job);
      if (jobs.length === 0) await this.pause(this.o.pollMs * (0.75 + Math.random() * 0.5));
    }
  }

  private start(job: LeasedJob): void {
    const abort = new AbortController();
    const entry: Running = { job, abort, done: Promise.resolve() };
    entry.done = this.execute(job, abort).finally(() => {
      this.running.delete(job.id);
      this.wake?.();
    });
    this.running.set(job.id, entry);
  }

  private async execute(job: LeasedJob, abort: AbortController): Promise<void> {
    const { queue, handler, logger, workerId } = this.o;
    const timer = setTimeout(() => abort.abort(new Error('job timeout')), this.o.jobTimeoutMs);
    const started = this.o.now();
    try {
      const result = await handler.validate(
        { id: job.id, payload: job.payload, attempt: job.attempt, maxAttempts: job.maxAttempts, enqueuedAt: job.enqueuedAt },
        { workerId, signal: abort.signal },
      );
      const outcome = await queue.complete(job.id, job.leaseId, result);
      if (outcome === 'completed') this.jobsDone++;
      const log = outcome === 'completed' ? logger.debug.bind(logger) : logger.warn.bind(logger);
      log({ jobId: job.id, attempt: job.attempt, outcome, ms: this.o.now() - started }, 'job finished');
    } catch (err) {
      const reason = abort.signal.aborted && this.o.now() - started >= this.o.jobTimeoutMs
        ? `timed out after ${this.o.jobTimeoutMs} ms` : message(err);
      // A permanent failure (malformed report …) is dead-lettered now: retrying cannot help.
      const permanent = isPermanentJobError(err);
      try {
        const outcome = await queue.fail(job.id, job.leaseId, reason, { permanent });
        logger.warn({ jobId: job.id, attempt: job.attempt, outcome, permanent, err: reason }, 'job failed');
      } catch (failErr) {
        logger.error({ jobId: job.id, err: message(failErr) }, 'could not record failure; the lease will expire and the job retry');
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      await this.report(this.state);
      for (const r of this.running.values()) {
        const mine = await this.o.queue.extendLease(r.job.id, r.job.leaseId, this.o.leaseMs);
        if (!mine) this.o.logger.warn({ jobId: r.job.id }, 'lost the lease (expired and re-leased); its completion will be rejected');
      }
      if (this.o.managed) await this.checkOrphaned();
    } catch (err) {
      this.o.logger.warn({ err: message(err) }, 'heartbeat failed');
    }
  }

  private async checkOrphaned(): Promise<void> {
    const raw = await this.o.state.loadState(CONTROLLER_HEARTBEAT_KEY);
    const hb = raw === undefined ? undefined : (JSON.parse(raw) as ControllerHeartbeat);
    const silentMs = hb === undefined ? Infinity : this.o.now() - hb.at;
    if (silentMs > this.o.orphanTimeoutMs) {
      this.drain(`orphaned: no controller heartbeat for ${Number.isFinite(silentMs) ? Math.round(silentMs / 1000) : '∞'} s`);
      return;
    }
    // Another controller leads (fail-over) but has not adopted this worker: on another host it never will.
    const mine = (await this.o.registry.getWorker(this.o.workerId))?.controllerId;
    if (hb === undefined || mine === undefined || hb.instanceId === mine) {
      this.foreignSince = undefined;
      return;
    }
    this.foreignSince ??= this.o.now();
    if (this.o.now() - this.foreignSince > this.o.orphanTimeoutMs) {
      this.drain(`orphaned: controller ${hb.instanceId} leads now and has not adopted this worker (started by ${mine})`);
    }
  }

  private async report(state: WorkerState): Promise<void> {
    this.state = state;
    await this.o.registry.reportWorker(this.o.workerId, process.pid, state, this.running.size, this.jobsDone);
  }

  private async waitForRunning(timeoutMs: number): Promise<number> {
    const deadline = this.o.now() + timeoutMs;
    while (this.running.size > 0) {
      const left = deadline - this.o.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...this.running.values()].map((r) => r.done)),
        new Promise<void>((r) => { timer = setTimeout(r, left); }),
      ]);
      clearTimeout(timer);
    }
    return this.running.size;
  }

  /** Sleeps up to `ms`, waking early when a job ends or a drain is requested. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void { clearTimeout(timer); resolve(); }
      this.wake = () => { this.wake = undefined; done(); };
    });
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
