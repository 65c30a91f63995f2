import { randomUUID } from 'node:crypto';
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
`;
export const DEFAULT_RETRY_POLICY = Object.freeze({
    maxAttempts: 5, backoffBaseMs: 1000, backoffMaxMs: 60_000,
});
/** Delay before retry number `attempt` (1 = after the first failed attempt). */
export function retryDelayMs(attempt, policy) {
    const exp = Math.min(30, Math.max(0, attempt - 1));
    return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** exp);
}
export class SqliteJobQueue {
    db;
    now;
    retry;
    s;
    leaseTx;
    enqueueTx;
    failTx;
    constructor(db, now, retry = {}) {
        this.db = db;
        this.now = now;
        this.retry = { ...DEFAULT_RETRY_POLICY, ...retry };
        if (!(Number.isInteger(this.retry.maxAttempts) && this.retry.maxAttempts >= 1)) {
            throw new RangeError(`maxAttempts must be an integer >= 1; got ${String(this.retry.maxAttempts)}`);
        }
        this.s = prepare(db);
        const s = this.s;
        this.enqueueTx = db.transaction((payloads, maxAttempts) => {
            const at = this.now();
            return payloads.map((p) => Number(s.insert.run(p, maxAttempts, at, at).lastInsertRowid));
        });
        this.leaseTx = db.transaction((owner, leaseMs, limit) => {
            const at = this.now();
            s.reclaim.run({ now: at });
            return s.lease.all({ leaseId: randomUUID(), owner, expires: at + leaseMs, now: at, limit });
        });
        this.failTx = db.transaction((jobId, leaseId, error) => {
            const row = s.failLookup.get(jobId, leaseId);
            if (!row)
                return this.statusOf(jobId) === undefined ? 'not_found' : 'stale_lease';
            const at = this.now();
            if (row.attempts >= row.max_attempts) {
                s.failDead.run(at, at, error, jobId, leaseId);
                return 'dead';
            }
            s.failRetry.run(at + retryDelayMs(row.attempts, this.retry), at, error, jobId, leaseId);
            return 'retry';
        });
    }
    enqueue(payload, opts = {}) {
        return this.enqueueBatch([payload], opts).then((ids) => ids[0]);
    }
    enqueueBatch(payloads, opts = {}) {
        const maxAttempts = opts.maxAttempts ?? this.retry.maxAttempts;
        if (!(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
            return Promise.reject(new RangeError(`maxAttempts must be an integer >= 1; got ${String(maxAttempts)}`));
        }
        const texts = payloads.map((p) => JSON.stringify(p ?? null));
        return Promise.resolve(this.enqueueTx.immediate(texts, maxAttempts));
    }
    lease(owner, leaseMs, limit = 1) {
        if (!(leaseMs > 0))
            return Promise.reject(new RangeError(`leaseMs must be > 0; got ${String(leaseMs)}`));
        const rows = this.leaseTx.immediate(owner, leaseMs, Math.max(1, Math.floor(limit)));
        rows.sort((a, b) => a.id - b.id);
        return Promise.resolve(rows.map((r) => ({
            id: r.id,
            payload: JSON.parse(r.payload),
            attempt: r.attempts,
            maxAttempts: r.max_attempts,
            enqueuedAt: new Date(r.enqueued_at),
            leaseId: r.lease_id,
            leaseExpiresAt: new Date(r.lease_expires_at),
        })));
    }
    complete(jobId, leaseId, result) {
        const text = result === undefined ? null : JSON.stringify(result);
        const changed = this.s.complete.run(this.now(), text, jobId, leaseId).changes;
        if (changed === 1)
            return Promise.resolve('completed');
        const status = this.statusOf(jobId);
        if (status === undefined)
            return Promise.resolve('not_found');
        return Promise.resolve(status === 'completed' ? 'duplicate' : 'stale_lease');
    }
    fail(jobId, leaseId, error) {
        return Promise.resolve(this.failTx.immediate(jobId, leaseId, error.slice(0, 2000)));
    }
    extendLease(jobId, leaseId, leaseMs) {
        return Promise.resolve(this.s.extend.run(this.now() + leaseMs, jobId, leaseId).changes === 1);
    }
    counts() {
        const c = { waiting: 0, inFlight: 0, completed: 0, deadLettered: 0 };
        for (const { status, n } of this.s.counts.all()) {
            if (status === 'waiting')
                c.waiting = n;
            else if (status === 'leased')
                c.inFlight = n;
            else if (status === 'completed')
                c.completed = n;
            else if (status === 'dead')
                c.deadLettered = n;
        }
        return Promise.resolve(c);
    }
    windowStats(windowMs, rateWindowMs) {
        const at = this.now();
        // One read transaction so the numbers are one consistent snapshot.
        return Promise.resolve(this.db.transaction(() => {
            const win = this.s.windowLatency.get(at - windowMs) ?? { n: 0, avg: null };
            const p95 = win.n > 0 ? this.s.latencyAt.get(at - windowMs, Math.min(win.n - 1, Math.floor(0.95 * win.n)))?.lat : undefined;
            const oldest = this.s.oldestWaiting.get()?.t ?? null;
            const stats = {
                waiting: this.s.countWaiting.get()?.n ?? 0,
                inFlight: this.s.countLeased.get()?.n ?? 0,
                arrivals: this.s.arrivals.get(at - rateWindowMs)?.n ?? 0,
                completions: this.s.completions.get(at - rateWindowMs)?.n ?? 0,
                windowCompleted: win.n,
                windowFailed: this.s.windowFailed.get(at - windowMs)?.n ?? 0,
                oldestWaitSeconds: oldest === null ? 0 : Math.max(0, (at - oldest) / 1000),
                ...(win.avg !== null ? { avgLatencySeconds: win.avg / 1000 } : {}),
                ...(p95 !== undefined ? { p95LatencySeconds: p95 / 1000 } : {}),
            };
            return stats;
        })());
    }
    /** Deletes completed and dead jobs that ended before `before`; returns how many. */
    purgeEnded(before) {
        return this.s.purge.run(before.getTime()).changes;
    }
    statusOf(jobId) {
        return this.s.statusOf.get(jobId)?.status;
    }
}
function prepare(db) {
    return {
        insert: db.prepare(`INSERT INTO jobs (payload, status, max_attempts, enqueued_at, available_at)
      VALUES (?, 'waiting', ?, ?, ?)`),
        // Expired leases go back to waiting (or dead when out of attempts). The lease id is kept so the
        // late worker can still complete the job until someone else leases it.
        reclaim: db.prepare(`UPDATE jobs SET
        status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'waiting' END,
        ended_at = CASE WHEN attempts >= max_attempts THEN @now ELSE NULL END,
        available_at = @now, last_failed_at = @now, lease_expires_at = NULL,
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
        windowLatency: db.prepare(`SELECT count(*) AS n, avg(ended_at - started_at) AS avg FROM jobs
      WHERE ended_at >= ? AND status = 'completed'`),
        latencyAt: db.prepare(`SELECT ended_at - started_at AS lat FROM jobs
      WHERE ended_at >= ? AND status = 'completed' ORDER BY lat LIMIT 1 OFFSET ?`),
        windowFailed: db.prepare('SELECT count(*) AS n FROM jobs WHERE last_failed_at >= ?'),
        oldestWaiting: db.prepare(`SELECT min(enqueued_at) AS t FROM jobs INDEXED BY jobs_status WHERE status = 'waiting'`),
        purge: db.prepare(`DELETE FROM jobs WHERE status IN ('completed', 'dead') AND ended_at < ?`),
    };
}
//# sourceMappingURL=sqlite-queue.js.map