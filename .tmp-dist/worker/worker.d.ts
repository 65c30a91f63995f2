/**
 * A worker process's main loop: lease jobs, run the handler, complete or fail them; heartbeat
 * (registry row + lease extension) so long jobs keep their lease and the pool sees it alive;
 * drain on request (finish running jobs, lease no more, give up after the drain timeout —
 * the leases then expire and the jobs are retried elsewhere).
 */
import type { JobQueue, StateStore, WorkerRegistry } from '../runtime/ports.js';
import type { ValidationHandler } from './handler.js';
export interface WorkerLogger {
    debug(o: object, msg?: string): void;
    info(o: object, msg?: string): void;
    warn(o: object, msg?: string): void;
    error(o: object, msg?: string): void;
}
/** Key of the controller's heartbeat in the state store: `{ instanceId, pid, at }` (ms). */
export declare const CONTROLLER_HEARTBEAT_KEY = "controller-heartbeat";
export interface ControllerHeartbeat {
    instanceId: string;
    pid: number;
    at: number;
}
export interface WorkerOptions {
    workerId: string;
    queue: JobQueue;
    registry: WorkerRegistry;
    state: StateStore;
    handler: ValidationHandler;
    logger: WorkerLogger;
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
export declare class Worker {
    private readonly o;
    private readonly running;
    private readonly stopRequested;
    private jobsDone;
    private state;
    private wake;
    constructor(opts: WorkerOptions);
    get completedJobs(): number;
    /** Asks the loop to drain: no new leases, running jobs finish (up to the drain timeout). */
    drain(reason: string): void;
    /** Runs until drained; resolves with the number of jobs left unfinished (0 after a clean drain). */
    run(): Promise<number>;
    private leaseLoop;
    private start;
    private execute;
    private heartbeat;
    private checkOrphaned;
    private report;
    private waitForRunning;
    /** Sleeps up to `ms`, waking early when a job ends or a drain is requested. */
    private pause;
}
