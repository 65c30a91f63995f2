/**
 * Queue backend `bullmq`: the JobQueue port over a BullMQ queue in Redis, shared by producers and
 * workers on any number of hosts. BullMQ's own mechanisms do the work, nothing is re-written:
 *
 * - a lease is BullMQ's job lock: `Worker.getNextJob(token)` (manual fetching, no processor) with
 *   the lease id as the lock token, `extendLock` to renew, `moveToCompleted` / `moveToFailed` to end
 *   it; BullMQ refuses a token that no longer owns the job (completion exactly once);
 * - a worker that dies mid-job loses its lock; BullMQ's stalled-job checker puts the job back at the
 *   head of the wait list and it runs again;
 * - retries use BullMQ's attempts and backoff (our capped exponential as its custom strategy), and
 *   `UnrecoverableError` dead-letters at once (BullMQ's failed set is the dead-letter queue).
 *
 * Attempts count leases, as on SQLite: a lease that expires uses up an attempt, and a job leased
 * again after its last attempt expired is dead-lettered instead of run.
 * The idempotency key is the BullMQ job id (`k-<key>`, or `h-<sha256>` for keys BullMQ cannot hold);
 * a job without a key gets a random UUID, so a re-sent enqueue is idempotent too.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Job, Queue, UnrecoverableError, Worker, type JobJson, type MinimalJob } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  MAX_IDEMPOTENCY_KEY_LENGTH, type CompleteOutcome, type EnqueueOptions, type FailOptions, type FailOutcome, type JobId, type JobQueue,
  type LeasedJob, type QueueCounts, type QueueStateCounts, type QueueWindowStats,
} from '../control/ports.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './sqlite-queue.js';
import { DEFAULT_RESERVOIR_SIZE, EndedAttempts, readWindowStats, recordArrivals, withStatsScripts } from './bullmq-stats.js';
import { queueKeyBase } from './redis-client.js';

/** BullMQ job name of every validation job. */
export const VALIDATION_JOB_NAME = 'validation';
const BACKOFF_TYPE = 'bountybot';

export interface BullmqQueueOptions {
  /** Used for every command; a worker process must pass one with `maxRetriesPerRequest: null`. */
  connection: Redis;
  name: string;
  /** BullMQ key prefix. Default 'bull'. */
  prefix?: string;
  retry?: Partial<RetryPolicy>;
  /** How often BullMQ's stalled-job checker runs in a leasing process, ms. Default 5000. */
  stalledIntervalMs?: number;
  reservoirSize?: number;
  /** Close `connection` in close(). Default false (BullMQ never closes a connection it was given). */
  ownsConnection?: boolean;
  /**
   * Take the next job in the completion's own script (BullMQ's `fetchNext`, as its processor loop
   * does): ~30 % less CPU per job. The job is locked for this process until the next lease() hands
   * it out, and close() puts it back at the head of the line. For worker processes, which lease
   * again right after every completion. Default false.
   */
  prefetch?: boolean;
}

interface Held { job: Job; token: string }

/** BullMQ's Worker without a processor, plus the one protected step manual fetching needs. */
class LeasingWorker extends Worker {
  /** The next job `moveToCompleted(…, fetchNext)` handed back, locked with `token` (as BullMQ's own loop takes it). */
  adopt(result: unknown, token: string): Promise<Job | undefined> {
    if (!Array.isArray(result) || result[0] === undefined || result[1] === undefined) return Promise.resolve(undefined);
    return this.nextJobFromJobData(result[0] as JobJson, String(result[1]), token);
  }
}

export class BullmqJobQueue implements JobQueue {
  readonly name: string;
  /** `bull:<name>`: every key of this queue starts with it. */
  readonly keyBase: string;
  private readonly o: BullmqQueueOptions;
  private readonly retry: RetryPolicy;
  private readonly queue: Queue;
  private readonly redis: ReturnType<typeof withStatsScripts>;
  private worker: Promise<LeasingWorker> | undefined;
  /** Jobs BullMQ handed over with a completion (one round trip less per job), waiting for the next lease(). */
  private prefetched: Held[] = [];
  /** Jobs this process leased and has not ended: their Job objects (no re-read to end them). */
  private readonly held = new Map<JobId, Held>();
  private readonly ended: EndedAttempts;

  constructor(opts: BullmqQueueOptions) {
    this.o = opts;
    this.name = opts.name;
    this.keyBase = queueKeyBase(opts.name, opts.prefix);
    this.retry = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    if (!(Number.isInteger(this.retry.maxAttempts) && this.retry.maxAttempts >= 1)) {
      throw new RangeError(`maxAttempts must be an integer >= 1; got ${String(this.retry.maxAttempts)}`);
    }
    this.redis = withStatsScripts(opts.connection);
    this.ended = new EndedAttempts(this.redis, this.keyBase, opts.reservoirSize ?? DEFAULT_RESERVOIR_SIZE);
    this.queue = new Queue(opts.name, { connection: opts.connection, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
    this.queue.on('error', () => undefined);
  }

  enqueue(payload: unknown, opts: EnqueueOptions = {}): Promise<JobId> {
    const { key, ...rest } = opts;
    return this.enqueueBatch([payload], { ...rest, ...(key !== undefined ? { keys: [key] } : {}) }).then((ids) => ids[0] as JobId);
  }

  async enqueueBatch(payloads: readonly unknown[], opts: EnqueueOptions = {}): Promise<JobId[]> {
    const maxAttempts = opts.maxAttempts ?? this.retry.maxAttempts;
    if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
      throw new RangeError(`maxAttempts must be an integer >= 1; got ${String(maxAttempts)}`);
    }
    if (payloads.length === 0) return [];
    const keys = opts.keys ?? [];
    const jobs = payloads.map((p, i) => {
      const key = keys[i];
      return {
        name: VALIDATION_JOB_NAME, data: p ?? null,
        opts: {
          attempts: maxAttempts, backoff: { type: BACKOFF_TYPE }, removeOnComplete: false, removeOnFail: false,
          // Every job gets its id here, never from BullMQ's counter: a batch the client re-sends after a
          // connection drop (ioredis does, reply lost in the outage) adds nothing the second time.
          jobId: key !== undefined ? jobIdForKey(key) : randomUUID(),
        },
      };
    });
    const added = await this.queue.addBulk(jobs);
    const ids = added.map((j) => j.id as string);
    await recordArrivals(this.redis, this.keyBase, [...new Set(ids)]);
    return ids;
  }

  async lease(owner: string, leaseMs: number, limit = 1): Promise<LeasedJob[]> {
    if (!(leaseMs > 0)) throw new RangeError(`leaseMs must be > 0; got ${String(leaseMs)}`);
    const worker = await this.leasingWorker(leaseMs);
    const want = Math.max(1, Math.floor(limit));
    const out: LeasedJob[] = [];
    while (out.length < want && this.prefetched.length > 0) {
      const p = this.prefetched.shift() as Held;
      const leased = await this.admit(p.job, p.token, leaseMs, worker);
      if (leased) out.push(leased);
    }
    // Jobs dead-lettered on the way (last attempt expired) do not count toward the limit.
    for (let tries = 0; out.length < want && tries < want * 4; tries++) {
      const token = `${owner}:${randomUUID()}`;
      const job = (await worker.getNextJob(token, { block: false })) as Job | undefined;
      if (!job?.id) break;
      const leased = await this.admit(job, token, leaseMs, worker);
      if (leased) out.push(leased);
    }
    return out;
  }

  /** A fetched (locked) job as a lease, or dead-lettered when its last attempt already expired. */
  private async admit(job: Job, token: string, leaseMs: number, worker: Worker): Promise<LeasedJob | undefined> {
    const id = job.id as string;
    const attempt = job.attemptsStarted;
    const maxAttempts = job.opts.attempts ?? 1;
    if (job.deferredFailure !== undefined || attempt > maxAttempts) {
      const why = job.deferredFailure ?? `lease expired on its last attempt (${maxAttempts}): worker lost or too slow`;
      await job.moveToFailed(new UnrecoverableError(why), token, false);
      return undefined;
    }
    if (leaseMs !== worker.opts.lockDuration) await job.extendLock(token, leaseMs);
    this.held.set(id, { job, token });
    return {
      id, payload: job.data, attempt, maxAttempts, enqueuedAt: new Date(job.timestamp),
      leaseId: token, leaseExpiresAt: new Date(Date.now() + leaseMs),
    };
  }

  async complete(jobId: JobId, leaseId: string, result?: unknown): Promise<CompleteOutcome> {
    const job = await this.jobFor(jobId, leaseId);
    if (!job) return 'not_found';
    // A process that leases takes its next job in the same script, as BullMQ's own worker loop does.
    const worker = this.worker ? await this.worker : undefined;
    let next: unknown;
    try {
      next = await job.moveToCompleted(result ?? null, leaseId, this.o.prefetch === true && worker !== undefined && this.prefetched.length === 0);
    } catch (err) {
      return this.refused(err, jobId, (state) => (state === 'completed' ? 'duplicate' : 'stale_lease'));
    } finally {
      this.held.delete(jobId);
    }
    const fetched = worker ? await worker.adopt(next, leaseId).catch(() => undefined) : undefined;
    if (fetched) this.prefetched.push({ job: fetched, token: leaseId });
    this.ended.completed(Date.now() - (job.processedOn ?? Date.now()));
    return 'completed';
  }

  /** A permanent failure (or the last attempt) fails with BullMQ's UnrecoverableError: dead-lettered, never retried. */
  async fail(jobId: JobId, leaseId: string, error: string, opts: FailOptions = {}): Promise<FailOutcome> {
    const job = await this.jobFor(jobId, leaseId);
    if (!job) return 'not_found';
    const last = opts.permanent === true || job.attemptsStarted >= (job.opts.attempts ?? 1);
    const reason = error.slice(0, 2000);
    try {
      await job.moveToFailed(last ? new UnrecoverableError(reason) : new Error(reason), leaseId, false);
    } catch (err) {
      return this.refused(err, jobId, () => 'stale_lease');
    } finally {
      this.held.delete(jobId);
    }
    this.ended.failedAttempt();
    return last ? 'dead' : 'retry';
  }

  async extendLease(jobId: JobId, leaseId: string, leaseMs: number): Promise<boolean> {
    const job = await this.jobFor(jobId, leaseId);
    if (!job) return false;
    const ok = Number(await job.extendLock(leaseId, leaseMs)) === 1;
    if (!ok) this.held.delete(jobId);
    return ok;
  }

  async counts(): Promise<QueueCounts> {
    const s = await this.stateCounts();
    return { waiting: s.waiting + s.delayed + s.failed, inFlight: s.active, completed: s.completed, deadLettered: s.deadLettered };
  }

  async stateCounts(): Promise<QueueStateCounts> {
    const b = this.keyBase;
    const res = await this.redis.multi()
      .llen(`${b}:wait`).zcard(`${b}:prioritized`).llen(`${b}:active`).zcard(`${b}:delayed`)
      .zcard(`${b}:completed`).zcard(`${b}:failed`).get(`${b}:bb:enq`).get(`${b}:bb:purged`)
      .exec();
    if (!res) throw new Error('queue counts: transaction aborted');
    const n = res.map(([err, v]) => {
      if (err) throw err;
      return Number(v ?? 0);
    });
    const at = (i: number): number => n[i] ?? 0;
    return {
      enqueued: at(6), waiting: at(0) + at(1), active: at(2),
      // bountybot only ever delays a job to back off a retry: BullMQ's delayed set holds failed attempts.
      delayed: 0, failed: at(3),
      completed: at(4), deadLettered: at(5), purged: at(7),
    };
  }

  async windowStats(windowMs: number, rateWindowMs: number): Promise<QueueWindowStats> {
    await this.ended.flush(); // this process's own recent completions count too
    return readWindowStats(this.redis, this.keyBase, windowMs, rateWindowMs, this.o.reservoirSize ?? DEFAULT_RESERVOIR_SIZE);
  }

  /** Deletes completed and dead-lettered jobs that ended before `before` (counted as purged). */
  async purgeEnded(before: Date): Promise<number> {
    const grace = Math.max(0, Date.now() - before.getTime());
    let total = 0;
    for (const type of ['completed', 'failed'] as const) {
      for (;;) {
        const ids = await this.queue.clean(grace, 5000, type);
        if (ids.length > 0) await this.redis.incrby(`${this.keyBase}:bb:purged`, ids.length);
        total += ids.length;
        if (ids.length < 5000) break;
      }
    }
    return total;
  }

  /** Closes BullMQ's objects (and the connection when this queue owns it). */
  async close(): Promise<void> {
    // Prefetched jobs nobody will run here go back to the head of the line at once (not after a stall).
    for (const p of this.prefetched.splice(0)) await p.job.moveToWait(p.token).catch(() => undefined);
    await this.ended.flush();
    const worker = await this.worker?.catch(() => undefined);
    await worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    if (this.o.ownsConnection) await this.o.connection.quit().catch(() => this.o.connection.disconnect());
  }

  /** Maps BullMQ's refusal of a token (lock lost, job moved on) to an outcome; other errors propagate. */
  private async refused<T extends string>(err: unknown, jobId: JobId, byState: (state: string) => T): Promise<T | 'not_found'> {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'number' || code >= 0) throw err;
    const state = await this.queue.getJobState(jobId);
    return state === 'unknown' ? 'not_found' : byState(state);
  }

  private async jobFor(jobId: JobId, leaseId: string): Promise<Job | undefined> {
    const held = this.held.get(jobId);
    if (held && held.token === leaseId) return held.job;
    // Another process's lease, or ours before a restart: read the job (its opts say how to retry it).
    return Job.fromId(await this.leasingWorker(), jobId);
  }

  /** BullMQ's Worker without a processor: fetches and locks jobs, runs the stalled-job checker. */
  private leasingWorker(leaseMs = 30_000): Promise<LeasingWorker> {
    this.worker ??= this.startWorker(leaseMs);
    return this.worker;
  }

  private async startWorker(leaseMs: number): Promise<LeasingWorker> {
    const policy = this.retry;
    const worker = new LeasingWorker(this.o.name, null, {
      connection: this.o.connection, autorun: false, lockDuration: leaseMs,
      stalledInterval: this.o.stalledIntervalMs ?? 5000,
      // Our attempt rule (every lease counts) dead-letters crash loops; BullMQ's own limit stays out of its way.
      maxStalledCount: 1_000_000,
      ...(this.o.prefix ? { prefix: this.o.prefix } : {}),
      settings: {
        backoffStrategy: (made: number, _type?: string, _err?: Error, job?: MinimalJob) =>
          retryDelayMs(job instanceof Job ? job.attemptsStarted : made, policy),
      },
    });
    worker.on('error', () => undefined);
    worker.on('stalled', () => this.ended.failedAttempt());
    await worker.startStalledCheckTimer();
    return worker;
  }
}

/** The BullMQ job id for an idempotency key: readable when BullMQ can hold the key as an id. */
export function jobIdForKey(key: string): string {
  if (typeof key !== 'string' || key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new RangeError(`idempotency key must be a string of 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${JSON.stringify(String(key).slice(0, 40))}`);
  }
  return /^[A-Za-z0-9._-]{1,120}$/.test(key) ? `k-${key}` : `h-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}
