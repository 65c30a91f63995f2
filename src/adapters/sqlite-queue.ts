/**
 * Durable validation-job queue on SQLite (shared by every worker process through one WAL file).
 *
 * Delivery is at-least-once, completion exactly-once: a lease hands a job to one worker with a
 * visibility timeout; an expired lease puts the job back (a crashed worker's job is re-run);
 * completion needs the current lease id, so a job completes once, whoever ran it.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  MAX_IDEMPOTENCY_KEY_LENGTH, type CompleteOutcome, type EnqueueOptions, type FailOptions, type FailOutcome, type JobId, type JobQueue,
  type LeasedJob, type QueueCounts, type QueueStateCounts, type QueueWindowStats,
} from '../control/ports.js';

export const QUEUE_SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('waiting', 'leased', 'completed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,
  lease_id TEXT,
  lease_owner TEXT,
  lease_expires_at INTEGER,
  started_at INTEGER,
  ended_at INTEGER,
  last_failed_at INTEGER,
  last_error TEXT,
  result TEXT
);
CREATE INDEX IF NOT EXISTS jobs_waiting ON jobs (available_at, id) WHERE status = 'waiting';
CREATE INDEX IF NOT EXISTS jobs_leased ON jobs (lease_expires_at) WHERE status = 'leased';
CREATE INDEX IF NOT EXISTS jobs_enqueued ON jobs (enqueued_at);
CREATE INDEX IF NOT EXISTS jobs_ended ON jobs (ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_failed ON jobs (last_failed_at) WHERE last_failed_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status);
CREATE TABLE IF NOT EXISTS job_keys (key TEXT PRIMARY KEY, job_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS job_keys_job ON job_keys (job_id);
`;

export interface RetryPolicy {
  /** Attempts (leases) before a job is dead-lettered. Default 5. */
  maxAttempts: number;
  /** Delay before the first retry, ms; doubles per attempt. Default 1000. */
  backoffBaseMs: number;
  /** Cap on the retry delay, ms. Default 60000. */
  backoffMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5, backoffBaseMs: 1000, backoffMaxMs: 60_000,
});

/** Delay before retry number `attempt` (1 = after the first failed attempt). */
export function retryDelayMs(attempt: number, policy: RetryPolicy): number {
  const exp = Math.min(30, Math.max(0, attempt - 1));
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** exp);
}

interface JobRow {
  id: number;
  payload: string;
  attempts: number;
  max_attempts: number;
  enqueued_at: number;
  lease_id: string;
  lease_expires_at: number;
}

interface Statements {
  insert: Database.Statement<[string, number, number, number]>;
  reclaim: Database.Statement<[{ now: number }]>;
  lease: Database.Statement<[{ leaseId: string; owner: string; expires: number; now: number; limit: number }], JobRow>;
  complete: Database.Statement<[number, string | null, number, string]>;
  statusOf: Database.Statement<[number], { status: string; lease_id: string | null }>;
  failLookup: Database.Statement<[number, string], { attempts: number; max_attempts: number }>;
  failRetry: Database.Statement<[number, number, string, number, string]>;
  failDead: Database.Statement<[number, number, string, number, string]>;
  extend: Database.Statement<[number, number, string]>;
  counts: Database.Statement<[], { status: string; n: number }>;
  countWaiting: Database.Statement<[], { n: number }>;
  countLeased: Database.Statement<[], { n: number }>;
  arrivals: Database.Statement<[number], { n: number }>;
  completions: Database.Statement<[number], { n: number }>;
  windowLatency: Database.Statement<[number], { n: number; avg: number | null; sq: number | null }>;
  latencyAt: Database.Statement<[number, number], { lat: number }>;
  windowFailed: Database.Statement<[number], { n: number }>;
  oldestWaiting: Database.Statement<[], { t: number | null }>;
  purge: Database.Statement<[number]>;
  purgeKeys: Database.Statement<[number]>;
  keyLookup: Database.Statement<[string], { job_id: number }>;
  keyInsert: Database.Statement<[string, number]>;
  waitingLater: Database.Statement<[number], { n: number; fresh: number | null }>;
  sequence: Database.Statement<[], { seq: number }>;
  total: Database.Statement<[], { n: number }>;
}

export class SqliteJobQueue implements JobQueue {
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly retry: RetryPolicy;
  private readonly s: Statements;
  private readonly leaseTx: Database.Transaction<(owner: string, leaseMs: number, limit: number) => JobRow[]>;
  private readonly enqueueTx: Database.Transaction<(payloads: readonly string[], maxAttempts: number, keys: readonly (string | undefined)[]) => number[]>;
  private readonly failTx: Database.Transaction<(jobId: number, leaseId: string, error: string, permanent: boolean) => FailOutcome>;

  constructor(db: Database.Database, now: () => number, retry: Partial<RetryPolicy> = {}) {
    this.db = db;
    this.now = now;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...retry };
    if (!(Number.isInteger(this.retry.maxAttempts) && this.retry.maxAttempts >= 1)) {
      throw new RangeError(`maxAttempts must be an integer >= 1; got ${String(this.retry.maxAttempts)}`);
    }
    this.s = prepare(db);
    const s = this.s;
    this.enqueueTx = db.transaction((payloads: readonly string[], maxAttempts: number, keys: readonly (string | undefined)[]) => {
      const at = this.now();
      return payloads.map((p, i) => {
        const key = keys[i];
        const existing = key === undefined ? undefined : s.keyLookup.get(key);
        if (existing) return existing.job_id;
        const id = Number(s.insert.run(p, maxAttempts, at, at).lastInsertRowid);
        if (key !== undefined) s.keyInsert.run(key, id);
        return id;
      });
    });
    this.leaseTx = db.transaction((owner: string, leaseMs: number, limit: number) => {
      const at = this.now();
      s.reclaim.run({ now: at });
      return s.lease.all({ leaseId: randomUUID(), owner, expires: at + leaseMs, now: at, limit });
    });
    this.failTx = db.transaction((jobId: number, leaseId: string, error: string, permanent: boolean): FailOutcome => {
      const row = s.failLookup.get(jobId, leaseId);
      if (!row) return this.statusOf(jobId) === undefined ? 'not_found' : 'stale_lease';
      const at = this.now();
      if (permanent || row.attempts >= row.max_attempts) {
        s.failDead.run(at, at, error, jobId, leaseId);
        return 'dead';
      }
      s.failRetry.run(at + retryDelayMs(row.attempts, this.retry), at, error, jobId, leaseId);
      return 'retry';
    });
  }

  enqueue(payload: unknown, opts: EnqueueOptions = {}): Promise<JobId> {
    const { key, ...rest } = opts;
    return this.enqueueBatch([payload], { ...rest, ...(key !== undefined ? { keys: [key] } : {}) }).then((ids) => ids[0] as JobId);
  }

  enqueueBatch(payloads: readonly unknown[], opts: EnqueueOptions = {}): Promise<JobId[]> {
    const maxAttempts = opts.maxAttempts ?? this.retry.maxAttempts;
    if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
      return Promise.reject(new RangeError(`maxAttempts must be an integer >= 1; got ${String(maxAttempts)}`));
    }
    const keys = opts.keys ?? [];
    for (const k of keys) {
      if (k !== undefined && !(typeof k === 'string' && k.length >= 1 && k.length <= MAX_IDEMPOTENCY_KEY_LENGTH)) {
        return Promise.reject(new RangeError(`idempotency key must be a string of 1-${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${JSON.stringify(String(k).slice(0, 40))}`));
      }
    }
    const texts = payloads.map((p) => JSON.stringify(p ?? null));
    return Promise.resolve(this.enqueueTx.immediate(texts, maxAttempts, keys).map(String));
  }

  lease(owner: string, leaseMs: number, limit = 1): Promise<LeasedJob[]> {
    if (!(leaseMs > 0)) return Promise.reject(new RangeError(`leaseMs must be > 0; got ${String(leaseMs)}`));
    const rows = this.leaseTx.immediate(owner, leaseMs, Math.max(1, Math.floor(limit)));
    rows.sort((a, b) => a.id - b.id);
    return Promise.resolve(rows.map((r) => ({
      id: String(r.id),
      payload: JSON.parse(r.payload) as unknown,
      attempt: r.attempts,
      maxAttempts: r.max_attempts,
      enqueuedAt: new Date(r.enqueued_at),
      leaseId: r.lease_id,
      leaseExpiresAt: new Date(r.lease_expires_at),
    })));
  }

  complete(id: JobId, leaseId: string, result?: unknown): Promise<CompleteOutcome> {
    const jobId = rowId(id);
    if (jobId === undefined) return Promise.resolve('not_found');
    const text = result === undefined ? null : JSON.stringify(result);
    const changed = this.s.complete.run(this.now(), text, jobId, leaseId).changes;
    if (changed === 1) return Promise.resolve('completed');
    const status = this.statusOf(jobId);
    if (status === undefined) return Promise.resolve('not_found');
    return Promise.resolve(status === 'completed' ? 'duplicate' : 'stale_lease');
  }

  fail(id: JobId, leaseId: string, error: string, opts: FailOptions = {}): Promise<FailOutcome> {
    const jobId = rowId(id);
    if (jobId === undefined) return Promise.resolve('not_found');
    return Promise.resolve(this.failTx.immediate(jobId, leaseId, error.slice(0, 2000), opts.permanent === true));
  }

  extendLease(id: JobId, leaseId: string, leaseMs: number): Promise<boolean> {
    const jobId = rowId(id);
    if (jobId === undefined) return Promise.resolve(false);
    return Promise.resolve(this.s.extend.run(this.now() + leaseMs, jobId, leaseId).changes === 1);
  }

  counts(): Promise<QueueCounts> {
    const c: QueueCounts = { waiting: 0, inFlight: 0, completed: 0, deadLettered: 0 };
    for (const { status, n } of this.s.counts.all()) {
      if (status === 'waiting') c.waiting = n;
      else if (status === 'leased') c.inFlight = n;
      else if (status === 'completed') c.completed = n;
      else if (status === 'dead') c.deadLettered = n;
    }
    return Promise.resolve(c);
  }

  stateCounts(): Promise<QueueStateCounts> {
    return Promise.resolve(this.db.transaction(() => {
      const by: Record<string, number> = {};
      for (const { status, n } of this.s.counts.all()) by[status] = n;
      const later = this.s.waitingLater.get(this.now()) ?? { n: 0, fresh: 0 };
      const delayed = later.fresh ?? 0;
      const enqueued = this.s.sequence.get()?.seq ?? 0;
      return {
        enqueued, waiting: (by.waiting ?? 0) - later.n, active: by.leased ?? 0, delayed, failed: later.n - delayed,
        completed: by.completed ?? 0, deadLettered: by.dead ?? 0, purged: enqueued - (this.s.total.get()?.n ?? 0),
      };
    })());
  }

  windowStats(windowMs: number, rateWindowMs: number): Promise<QueueWindowStats> {
    const at = this.now();
    // One read transaction so the numbers are one consistent snapshot.
    return Promise.resolve(this.db.transaction(() => {
      const win = this.s.windowLatency.get(at - windowMs) ?? { n: 0, avg: null, sq: null };
      const cv = serviceTimeCv(win.n, win.avg, win.sq);
      const p95 = win.n > 0 ? this.s.latencyAt.get(at - windowMs, Math.min(win.n - 1, Math.floor(0.95 * win.n)))?.lat : undefined;
      const oldest = this.s.oldestWaiting.get()?.t ?? null;
      const stats: QueueWindowStats = {
        waiting: this.s.countWaiting.get()?.n ?? 0,
        inFlight: this.s.countLeased.get()?.n ?? 0,
        arrivals: this.s.arrivals.get(at - rateWindowMs)?.n ?? 0,
        completions: this.s.completions.get(at - rateWindowMs)?.n ?? 0,
        windowCompleted: win.n,
        windowFailed: this.s.windowFailed.get(at - windowMs)?.n ?? 0,
        oldestWaitSeconds: oldest === null ? 0 : Math.max(0, (at - oldest) / 1000),
        ...(win.avg !== null ? { avgLatencySeconds: win.avg / 1000 } : {}),
        ...(p95 !== undefined ? { p95LatencySeconds: p95 / 1000 } : {}),
        ...(cv !== undefined ? { serviceTimeCv: cv } : {}),
      };
      return stats;
    })());
  }

  /** Deletes completed and dead jobs that ended before `before`; returns how many. */
  purgeEnded(before: Date): number {
    return this.db.transaction(() => {
      this.s.purgeKeys.run(before.getTime());
      return this.s.purge.run(before.getTime()).changes;
    })();
  }

  private statusOf(jobId: number): string | undefined {
    return this.s.statusOf.get(jobId)?.status;
  }
}

/** The SQLite row id behind a JobId; undefined for an id this queue cannot have issued. */
function rowId(id: JobId): number | undefined {
  return /^[1-9][0-9]{0,15}$/.test(id) ? Number(id) : undefined;
}

function prepare(db: Database.Database): Statements {
  return {
    insert: db.prepare(`INSERT INTO jobs (payload, status, max_attempts, enqueued_at, available_at)
      VALUES (?, 'waiting', ?, ?, ?)`),
    // Expired leases go back to waiting (or dead when out of attempts). The lease id is kept so the
    // late worker can still complete the job until someone else leases it. available_at is kept
    // too: it is the job's place in line (its enqueue time, or the end of a retry backoff), and a
    // job whose worker crashed did nothing to lose that place (it once waited behind 457 newer jobs).
    reclaim: db.prepare(`UPDATE jobs SET
        status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'waiting' END,
        ended_at = CASE WHEN attempts >= max_attempts THEN @now ELSE NULL END,
        last_failed_at = @now, lease_expires_at = NULL,
        last_error = 'lease expired (worker lost or too slow)'
      WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_leased WHERE status = 'leased' AND lease_expires_at <= @now)`),
    lease: db.prepare(`UPDATE jobs SET status = 'leased', lease_id = @leaseId || ':' || id, lease_owner = @owner,
        lease_expires_at = @expires, started_at = @now, attempts = attempts + 1
      WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_waiting WHERE status = 'waiting' AND available_at <= @now
                   ORDER BY available_at, id LIMIT @limit)
      RETURNING id, payload, attempts, max_attempts, enqueued_at, lease_id, lease_expires_at`),
    complete: db.prepare(`UPDATE jobs SET status = 'completed', ended_at = ?, result = ?,
        lease_expires_at = NULL, last_error = NULL
      WHERE id = ? AND lease_id = ? AND status IN ('leased', 'waiting', 'dead')`),
    statusOf: db.prepare('SELECT status, lease_id FROM jobs WHERE id = ?'),
    failLookup: db.prepare(`SELECT attempts, max_attempts FROM jobs
      WHERE id = ? AND lease_id = ? AND status IN ('leased', 'waiting', 'dead')`),
    failRetry: db.prepare(`UPDATE jobs SET status = 'waiting', available_at = ?, last_failed_at = ?,
        last_error = ?, lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL, ended_at = NULL
      WHERE id = ? AND lease_id = ?`),
    failDead: db.prepare(`UPDATE jobs SET status = 'dead', ended_at = ?, last_failed_at = ?,
        last_error = ?, lease_id = NULL, lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ? AND lease_id = ?`),
    extend: db.prepare(`UPDATE jobs SET lease_expires_at = ?
      WHERE id = ? AND lease_id = ? AND status = 'leased'`),
    counts: db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status'),
    countWaiting: db.prepare(`SELECT count(*) AS n FROM jobs INDEXED BY jobs_waiting WHERE status = 'waiting'`),
    countLeased: db.prepare(`SELECT count(*) AS n FROM jobs INDEXED BY jobs_leased WHERE status = 'leased'`),
    arrivals: db.prepare('SELECT count(*) AS n FROM jobs WHERE enqueued_at >= ?'),
    completions: db.prepare(`SELECT count(*) AS n FROM jobs WHERE ended_at >= ? AND status = 'completed'`),
    windowLatency: db.prepare(`SELECT count(*) AS n, avg(ended_at - started_at) AS avg,
      avg((ended_at - started_at) * (ended_at - started_at)) AS sq FROM jobs
      WHERE ended_at >= ? AND status = 'completed'`),
    latencyAt: db.prepare(`SELECT ended_at - started_at AS lat FROM jobs
      WHERE ended_at >= ? AND status = 'completed' ORDER BY lat LIMIT 1 OFFSET ?`),
    windowFailed: db.prepare('SELECT count(*) AS n FROM jobs WHERE last_failed_at >= ?'),
    oldestWaiting: db.prepare(`SELECT min(enqueued_at) AS t FROM jobs INDEXED BY jobs_status WHERE status = 'waiting'`),
    purge: db.prepare(`DELETE FROM jobs WHERE status IN ('completed', 'dead') AND ended_at < ?`),
    purgeKeys: db.prepare(`DELETE FROM job_keys WHERE job_id IN
      (SELECT id FROM jobs INDEXED BY jobs_ended WHERE status IN ('completed', 'dead') AND ended_at < ?)`),
    keyLookup: db.prepare('SELECT job_id FROM job_keys WHERE key = ?'),
    keyInsert: db.prepare('INSERT INTO job_keys (key, job_id) VALUES (?, ?)'),
    waitingLater: db.prepare(`SELECT count(*) AS n, sum(attempts = 0) AS fresh FROM jobs INDEXED BY jobs_waiting
      WHERE status = 'waiting' AND available_at > ?`),
    sequence: db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'jobs'`),
    total: db.prepare('SELECT count(*) AS n FROM jobs'),
  };
}

/** Below this many completions a cv estimate is too noisy to size on (the engine then assumes 1). */
const MIN_COMPLETIONS_FOR_CV = 20;

/** Sample coefficient of variation from count, mean and mean of squares. */
function serviceTimeCv(n: number, mean: number | null, meanOfSquares: number | null): number | undefined {
  if (n < MIN_COMPLETIONS_FOR_CV || mean === null || meanOfSquares === null || !(mean > 0)) return undefined;
  const variance = Math.max(0, meanOfSquares - mean * mean) * (n / (n - 1));
  return Math.sqrt(variance) / mean;
}
