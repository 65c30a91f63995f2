import type { Actuator, FleetState } from '../control/interfaces.js';
import type { WorkerRegistry } from '../runtime/ports.js';
export interface PoolLogger {
    info(o: object, msg?: string): void;
    warn(o: object, msg?: string): void;
    error(o: object, msg?: string): void;
}
export interface ProcessPoolOptions {
    registry: WorkerRegistry;
    /** This controller instance; recorded with every worker it spawns or adopts. */
    controllerId: string;
    /** Executable and arguments that start one worker; the pool appends `--worker-id ID --managed`. */
    command: string;
    args: readonly string[];
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    /** Worker stdout/stderr: a file path (appended), 'inherit' or 'ignore'. Default 'ignore'. */
    output?: string;
    /** Hard cap whatever the target says. */
    maxWorkers: number;
    /** A worker not ready this long after spawn is killed and replaced, ms. Default 60000. */
    startTimeoutMs?: number;
    /** A draining worker still alive this long after SIGTERM is SIGKILLed, ms. Default 45000. */
    stopTimeoutMs?: number;
    /** A ready worker whose heartbeat is older than this is considered hung and replaced, ms. Default 30000. */
    heartbeatStaleMs?: number;
    /** Housekeeping period (readiness, deaths, timeouts), ms. Default 500. */
    refreshMs?: number;
    logger?: PoolLogger;
    now?: () => number;
}
type PoolState = 'starting' | 'ready' | 'draining';
export interface AdoptionReport {
    adopted: string[];
    /** Registry rows whose process was gone (marked stopped). */
    gone: string[];
}
export declare class ProcessPool implements Actuator {
    private readonly o;
    private readonly workers;
    private target;
    private seq;
    private outputFd;
    private timer;
    private readonly crashes;
    private spawnNotBefore;
    private closed;
    private refreshing;
    constructor(opts: ProcessPoolOptions);
    /** Adopts live workers recorded in the registry (a previous controller's) and starts housekeeping. */
    start(): Promise<AdoptionReport>;
    fleet(): Promise<FleetState>;
    scaleTo(target: number, reasoning: readonly string[]): Promise<FleetState>;
    /** The worker each tracked process is, for status pages and tests. */
    list(): Array<{
        workerId: string;
        pid: number;
        state: PoolState;
        adopted: boolean;
    }>;
    /** Drains every worker (SIGTERM), waits up to `timeoutMs`, SIGKILLs what is left. */
    stopAll(timeoutMs?: number): Promise<void>;
    /** Stops housekeeping and leaves workers running (a restarted controller adopts them). */
    close(): void;
    private counts;
    /** Serialized: the timer and callers never run two refreshes at once. */
    private refresh;
    private doRefresh;
    private check;
    private reconcile;
    /** Starting workers first (no work lost), then ready ones, newest first. */
    private pickToStop;
    private drainWorker;
    private spawnWorker;
    private onExit;
    /** Drops a worker; `crash` (a reason) counts toward the crash-loop backoff. */
    private forget;
    /** More than 3 crashes within a minute: wait before respawning, doubling up to 30 s. */
    private noteCrash;
}
/**
 * True when `pid` is alive and (where /proc exists) really is worker `workerId`, so a recycled
 * pid is never adopted or signalled as ours.
 */
export declare function isLiveWorker(pid: number, workerId: string): boolean;
export {};
