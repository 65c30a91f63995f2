/**
 * Side-effect ports of the runtime (controller, workers, process pool), next to the loop's own
 * (interfaces.ts). They import nothing but core types: every backend (SQLite, BullMQ, Kubernetes)
 * implements these, and one contract suite per port runs against each implementation.
 */
import type { StateStore } from './interfaces.js';

/** A job's id as the queue assigns it. Opaque: SQLite's integer row id as a string, BullMQ's job id. */
export type JobId = string;

/** Queue counts straight from the store. */
export interface QueueCounts {
  /** Waiting to be leased (including those waiting for a retry backoff). */
  waiting: number;
  /** Leased by a worker and not yet ended. */
  inFlight: number;
  completed: number;
  /** Failed attempts awaiting retry are `waiting`; this counts jobs that exhausted their attempts. */
  deadLettered: number;
}

export interface EnqueueOptions {
  /** Attempts before the job is dead-lettered. Default: the queue's `maxAttempts`. */
  maxAttempts?: number;
  /**
   * Idempotency key of `enqueue`: a second enqueue with the same key adds nothing and returns the
   * first job's id (whatever its payload). 1-200 characters.
   */
  key?: string;
  /** `enqueueBatch`: one idempotency key per payload (undefined = none), same rules as `key`. */
  keys?: readonly (string | undefined)[];
}

/** Longest accepted idempotency key. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * Every job the queue holds, each in exactly one state, for loss accounting (`bountybot queue
 * stats`): enqueued = waiting + active + delayed + failed + completed + deadLettered + purged.
 */
export interface QueueStateCounts {
  /** Jobs ever accepted (an idempotent re-enqueue is not counted). */
  enqueued: number;
  /** Ready to run now. */
  waiting: number;
  /** Held by a worker now. */
  active: number;
  /** Scheduled by their producer to start later (bountybot's producers never do: 0). */
  delayed: number;
  /** The latest attempt failed; waiting out the retry backoff, will run again. */
  failed: number;
  completed: number;
  /** Out of attempts, or a permanent failure: never run again. */
  deadLettered: number;
  /** Finished jobs deleted by housekeeping after their retention. */
  purged: number;
}

/** A job as a worker sees it once leased. */
export interface LeasedJob {
  id: JobId;
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
/** `retry`: back to waiting after a backoff. `dead`: attempts exhausted (or permanent), dead-lettered. */
export type FailOutcome = 'retry' | 'dead' | 'stale_lease' | 'not_found';

export interface FailOptions {
  /**
   * The job can never succeed (the handler threw PermanentJobError): dead-letter it now, whatever
   * attempts remain. A BullMQ backend does this by failing with UnrecoverableError.
   */
  permanent?: boolean;
}

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
  enqueue(payload: unknown, opts?: EnqueueOptions): Promise<JobId>;
  /** One transaction for all; returns the ids in order. */
  enqueueBatch(payloads: readonly unknown[], opts?: EnqueueOptions): Promise<JobId[]>;
  /**
   * Leases up to `limit` jobs for `leaseMs`, first in line first; reclaims expired leases first.
   * A job whose lease expired (its worker crashed) keeps its place in line; a failed job waits out
   * its retry backoff and then joins the line behind the jobs already waiting.
   */
  lease(owner: string, leaseMs: number, limit?: number): Promise<LeasedJob[]>;
  complete(jobId: JobId, leaseId: string, result?: unknown): Promise<CompleteOutcome>;
  /** Ends an attempt as failed: retried after a backoff, or dead-lettered when out of attempts or `permanent`. */
  fail(jobId: JobId, leaseId: string, error: string, opts?: FailOptions): Promise<FailOutcome>;
  /** Pushes the lease expiry to now + `leaseMs`; false when the lease is no longer this one. */
  extendLease(jobId: JobId, leaseId: string, leaseMs: number): Promise<boolean>;
  counts(): Promise<QueueCounts>;
  /** One consistent snapshot of every job's state. */
  stateCounts(): Promise<QueueStateCounts>;
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
  /** Host the worker runs on, where the registry spans hosts (a pool adopts only its own host's). */
  host?: string;
}

/** Live workers by state (stopped ones are not counted). */
export interface WorkerCounts {
  starting: number;
  ready: number;
  draining: number;
}

/** Worker processes as recorded in the store: how the pool learns readiness and finds orphans. */
export interface WorkerRegistry {
  /** How many workers are starting, ready and draining now (one cheap read). */
  workerCounts(): Promise<WorkerCounts>;
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

/** Key of the controller's heartbeat in the state store: a JSON `ControllerHeartbeat`. */
export const CONTROLLER_HEARTBEAT_KEY = 'controller-heartbeat';

/** What a live controller writes every heartbeat period; managed workers stop when it goes stale. */
export interface ControllerHeartbeat {
  instanceId: string;
  pid: number;
  /** Epoch ms of the beat. */
  at: number;
}

/** The controller heartbeat, read by workers (orphan detection) and by a starting controller. */
export type HeartbeatStore = StateStore;

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

/** Structured logging, pino-shaped: a fields object first, then the message. */
export interface Logger {
  debug(fields: object, msg?: string): void;
  info(fields: object, msg?: string): void;
  warn(fields: object, msg?: string): void;
  error(fields: object, msg?: string): void;
}

/** A logger that drops everything (tests, library defaults). */
export const silentLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/** What a leader elector says about this replica at one moment. */
export interface Leadership {
  /** True while this replica holds the lease. */
  leader: boolean;
  /** This replica's identity (pod name, host:pid, …). */
  identity: string;
  /** Who holds the lease now, when known. */
  holder?: string;
  /**
   * Fencing token: strictly increasing with every change of holder. An actuator passes it with
   * each scale call and the backend refuses calls carrying an older token than it has seen.
   */
  token?: number;
  /** Epoch ms until which the lease is held (this replica's or the holder's). */
  expiresAt?: number;
}

/**
 * Leader election between controller replicas (a Redis lease, a Kubernetes Lease). Only the
 * leader actuates; it re-checks `isLeader` immediately before every scale call.
 */
export interface LeaderElector {
  /** Acquires or renews the lease once; never throws (a backend error means "not leader"). */
  tick(nowMs: number): Promise<Leadership>;
  /** The last known leadership, without I/O. */
  current(): Leadership;
  /** Gives the lease up (graceful shutdown) so a standby takes over at once. */
  release(): Promise<void>;
  /**
   * The fencing check before a scale call: true only while this replica holds the lease with
   * `token` and no newer token has acted; records `token` as the newest that acted. Backends
   * without a shared fence omit it (the actuator then re-checks `tick`).
   */
  fence?(token: number): Promise<boolean>;
}

/** Outcomes of a set of jobs against a latency objective (end-to-end: enqueue → end). */
export interface TurnaroundStats {
  completed: number;
  deadLettered: number;
  /** Completed within the objective. */
  withinSlo: number;
  /** Not ended yet and already older than the objective at the range's end (misses in waiting); only for `by: 'enqueued'`. */
  lateUnfinished: number;
  /** Not ended yet and still younger than the objective (their outcome is open); only for `by: 'enqueued'`. */
  pending: number;
  /** Nearest-rank percentiles of enqueue → end of the completed jobs, seconds. */
  p50Seconds?: number;
  p95Seconds?: number;
  /** Processing time (start → end) of the completed jobs: mean, seconds, and coefficient of variation. */
  serviceMeanSeconds?: number;
  serviceCv?: number;
}

/**
 * What the queue remembers about past jobs (until finished jobs are purged): for the dashboard's
 * SLO figures, for shadow mode's counterfactual and for `bountybot replay`. A backend that
 * keeps no history (or a Redis queue that trims it) implements what it can and says so.
 */
export interface JobHistory {
  /** Jobs enqueued per bin over [from, to): bin i covers [from + i·binMs, from + (i+1)·binMs). */
  arrivalCounts(from: Date, to: Date, binMs: number): Promise<number[]>;
  /** Earliest enqueue time still on record, if any job is. */
  firstArrival(): Promise<Date | undefined>;
  /**
   * Outcomes of the jobs that ended in [from, to) (`by: 'ended'`), or of the jobs enqueued in
   * [from, to) as they stand at `to` (`by: 'enqueued'`).
   */
  turnaround(from: Date, to: Date, sloSeconds: number, by: 'ended' | 'enqueued'): Promise<TurnaroundStats>;
}
