/**
 * Interfaces the runtime (controller, workers, process pool) codes against. The SQLite adapter
 * implements them; another backend (Redis, Postgres) would implement the same ones.
 */
import type { QueueCounts } from './runtime-api.js';

export interface EnqueueOptions {
  /** Attempts before the job is dead-lettered. Default: the queue's `maxAttempts`. */
  maxAttempts?: number;
}

/** A job as a worker sees it once leased. */
export interface LeasedJob {
  id: number;
  /** The JSON payload given to `enqueue`, parsed. */
  payload: unknown;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  enqueuedAt: Date;
  /** Proof of ownership: completion, failure and lease extension must present it. */
  leaseId: string;
  leaseExpiresAt: Date;
}

/**
 * `completed`: this call completed the job. `duplicate`: it was already completed (no change).
 * `stale_lease`: another lease owns the job now, or this lease already failed it (no change).
 */
export type CompleteOutcome = 'completed' | 'duplicate' | 'stale_lease' | 'not_found';
/** `retry`: back to waiting after a backoff. `dead`: attempts exhausted, dead-lettered. */
export type FailOutcome = 'retry' | 'dead' | 'stale_lease' | 'not_found';

/** Numbers over recent windows, for the metrics source. */
export interface QueueWindowStats {
  waiting: number;
  inFlight: number;
  /** Jobs enqueued within the rate window. */
  arrivals: number;
  /** Jobs completed within the rate window. */
  completions: number;
  /** Over the (longer) metrics window: completed jobs and their processing times. */
  windowCompleted: number;
  windowFailed: number;
  avgLatencySeconds?: number;
  p95LatencySeconds?: number;
  /** Coefficient of variation of processing time over the window (≥ 20 completions). */
  serviceTimeCv?: number;
  /** Age of the oldest waiting job, seconds; 0 when none waits. */
  oldestWaitSeconds: number;
}

export interface JobQueue {
  enqueue(payload: unknown, opts?: EnqueueOptions): Promise<number>;
  /** One transaction for all; returns the ids in order. */
  enqueueBatch(payloads: readonly unknown[], opts?: EnqueueOptions): Promise<number[]>;
  /** Leases up to `limit` jobs (oldest first) for `leaseMs`; reclaims expired leases first. */
  lease(owner: string, leaseMs: number, limit?: number): Promise<LeasedJob[]>;
  complete(jobId: number, leaseId: string, result?: unknown): Promise<CompleteOutcome>;
  fail(jobId: number, leaseId: string, error: string): Promise<FailOutcome>;
  /** Pushes the lease expiry to now + `leaseMs`; false when the lease is no longer this one. */
  extendLease(jobId: number, leaseId: string, leaseMs: number): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  windowStats(windowMs: number, rateWindowMs: number): Promise<QueueWindowStats>;
}

export type WorkerState = 'starting' | 'ready' | 'draining' | 'stopped';

export interface WorkerRow {
  workerId: string;
  pid: number;
  /** Controller instance that manages it; undefined for a worker started by hand. */
  controllerId?: string;
  state: WorkerState;
  startedAt: Date;
  heartbeatAt: Date;
  /** Jobs this worker is running now. */
  busy: number;
  jobsDone: number;
}

/** Worker processes as recorded in the store: how the pool learns readiness and finds orphans. */
export interface WorkerRegistry {
  /** The pool records a worker it has just spawned (state `starting`). */
  registerSpawn(workerId: string, pid: number, controllerId: string): Promise<void>;
  /** The worker reports in; upserts (a hand-started worker has no spawn row). */
  reportWorker(workerId: string, pid: number, state: WorkerState, busy: number, jobsDone: number): Promise<void>;
  setWorkerState(workerId: string, state: WorkerState): Promise<void>;
  listWorkers(states?: readonly WorkerState[]): Promise<WorkerRow[]>;
  getWorker(workerId: string): Promise<WorkerRow | undefined>;
  /** Hands workers over to a new controller instance (after a controller restart). */
  adoptWorkers(workerIds: readonly string[], controllerId: string): Promise<void>;
  /** Deletes stopped rows older than `olderThanMs`. */
  pruneWorkers(olderThanMs: number): Promise<number>;
}

/** Key/value controller state (also used for the controller's own heartbeat). */
export interface StateStore {
  loadState(key: string): Promise<string | undefined>;
  saveState(key: string, value: string): Promise<void>;
}

export interface SpendEntry {
  at: Date;
  workerSeconds: number;
  dollars: number;
}

/** Append-only record of paid worker-time, durable across controller restarts. */
export interface SpendLedger {
  appendSpend(entry: SpendEntry): Promise<void>;
  /** Sum over [from, to). */
  spendBetween(from: Date, to: Date): Promise<{ workerSeconds: number; dollars: number }>;
  /** Time of the latest entry: spend is accounted up to here. */
  lastSpendAt(): Promise<Date | undefined>;
}
