import type { AutoscalingConfig } from '../autoscaling/config.js';
import { ProcessPool } from '../adapters/process-pool.js';
import { SqliteStore } from '../adapters/sqlite-store.js';
import type { LoopClock } from '../control/interfaces.js';
import type { TickResult } from '../control/loop.js';
import { ControllerRuntime } from './controller.js';
import type { Logger } from './logging.js';
/** How the pool starts and tunes worker processes (not in the YAML: flags of `run`). */
export interface WorkerSettings {
    /** Executable + arguments that run `bountybot worker`; default: this very program (see selfWorkerCommand). */
    command?: {
        command: string;
        args: string[];
    };
    concurrency: number;
    leaseSeconds: number;
    heartbeatSeconds: number;
    pollMs: number;
    drainTimeoutSeconds: number;
    orphanTimeoutSeconds: number;
    /** Worker stdout/stderr: file path, 'inherit' or 'ignore'. */
    output: string;
    env?: NodeJS.ProcessEnv;
}
export declare const DEFAULT_WORKER_SETTINGS: Readonly<WorkerSettings>;
export interface ControllerSettings {
    config: AutoscalingConfig;
    dryRun: boolean;
    worker: WorkerSettings;
    logger: Logger;
    clock?: LoopClock;
    /** Arrival/completion rate window, ms. Default 60000. */
    rateWindowMs?: number;
    /** Controller heartbeat, ms (workers' orphan detection). Default 2000. */
    heartbeatMs?: number;
    onTick?: (result: TickResult, runtime: ControllerRuntime) => void;
    /** Completed and dead-lettered jobs are deleted this long after they ended, hours. Default 168 (a week). */
    jobRetentionHours?: number;
}
export interface BuiltController {
    runtime: ControllerRuntime;
    store: SqliteStore;
    pool?: ProcessPool;
    databasePath: string;
}
/** `bountybot worker` as this process was started: the same node, loader flags and entry script. */
export declare function selfWorkerCommand(): {
    command: string;
    args: string[];
};
/** Handler spec as workers should receive it: absolute for paths, unchanged for the demo and packages. */
export declare function absoluteHandlerSpec(spec: string, cwd?: string): string;
/**
 * Opens the store and checks the handler loads before anything starts; throws StoreOpenError /
 * HandlerLoadError (the CLI turns them into exit code 2).
 */
export declare function buildController(s: ControllerSettings): Promise<BuiltController>;
