/**
 * Durable validation-job queue on SQLite (shared by every worker process through one WAL file).
 *
 * Delivery is at-least-once, completion exactly-once: a lease hands a job to one worker with a
 * visibility timeout; an expired lease puts the job back (a crashed worker's job is re-run);
 * completion needs the current lease id, so a job completes once, whoever ran it.
 */
import type Database from 'better-sqlite3';
import type { QueueCounts } from '../runtime/runtime-api.js';
import type { CompleteOutcome, EnqueueOptions, FailOutcome, JobQueue, LeasedJob, QueueWindowStats } from '../runtime/ports.js';
export declare const QUEUE_SCHEMA = "\nCREATE TABLE IF NOT EXISTS jobs (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  payload TEXT NOT NULL,\n  status TEXT NOT NULL CHECK (status IN ('waiting', 'leased', 'completed', 'dead')),\n  attempts INTEGER NOT NULL DEFAULT 0,\n  max_attempts INTEGER NOT NULL,\n  enqueued_at INTEGER NOT NULL,\n  available_at INTEGER NOT NULL,\n  lease_id TEXT,\n  lease_owner TEXT,\n  lease_expires_at INTEGER,\n  started_at INTEGER,\n  ended_at INTEGER,\n  last_failed_at INTEGER,\n  last_error TEXT,\n  result TEXT\n);\nCREATE INDEX IF NOT EXISTS jobs_waiting ON jobs (available_at, id) WHERE status = 'waiting';\nCREATE INDEX IF NOT EXISTS jobs_leased ON jobs (lease_expires_at) WHERE status = 'leased';\nCREATE INDEX IF NOT EXISTS jobs_enqueued ON jobs (enqueued_at);\nCREATE INDEX IF NOT EXISTS jobs_ended ON jobs (ended_at) WHERE ended_at IS NOT NULL;\nCREATE INDEX IF NOT EXISTS jobs_failed ON jobs (last_failed_at) WHERE last_failed_at IS NOT NULL;\nCREATE INDEX IF NOT EXISTS jobs_status ON jobs (status);\n";
export interface RetryPolicy {
    /** Attempts (leases) before a job is dead-lettered. Default 5. */
    maxAttempts: number;
    /** Delay before the first retry, ms; doubles per attempt. Default 1000. */
    backoffBaseMs: number;
    /** Cap on the retry delay, ms. Default 60000. */
    backoffMaxMs: number;
}
export declare const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy>;
/** Delay before retry number `attempt` (1 = after the first failed attempt). */
export declare function retryDelayMs(attempt: number, policy: RetryPolicy): number;
export declare class SqliteJobQueue implements JobQueue {
    private readonly db;
    private readonly now;
    private readonly retry;
    private readonly s;
    private readonly leaseTx;
    private readonly enqueueTx;
    private readonly failTx;
    constructor(db: Database.Database, now: () => number, retry?: Partial<RetryPolicy>);
    enqueue(payload: unknown, opts?: EnqueueOptions): Promise<number>;
    enqueueBatch(payloads: readonly unknown[], opts?: EnqueueOptions): Promise<number[]>;
    lease(owner: string, leaseMs: number, limit?: number): Promise<LeasedJob[]>;
    complete(jobId: number, leaseId: string, result?: unknown): Promise<CompleteOutcome>;
    fail(jobId: number, leaseId: string, error: string): Promise<FailOutcome>;
    extendLease(jobId: number, leaseId: string, leaseMs: number): Promise<boolean>;
    counts(): Promise<QueueCounts>;
    windowStats(windowMs: number, rateWindowMs: number): Promise<QueueWindowStats>;
    /** Deletes completed and dead jobs that ended before `before`; returns how many. */
    purgeEnded(before: Date): number;
    private statusOf;
}
