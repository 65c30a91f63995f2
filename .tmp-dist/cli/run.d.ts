/**
 * `bountybot run`: the live controller on this machine — SQLite queue, worker processes scaled by
 * the engine every evaluation interval, JSON logs (one line per decision with its reasoning),
 * /metrics and the control API. SIGINT/SIGTERM: stop the loop, drain the workers, close the DB.
 */
import type { Command } from 'commander';
import { type AutoscalingConfig } from '../autoscaling/config.js';
import { type LaunchedController, type LaunchSettings } from '../runtime/launch.js';
export declare const DEFAULT_CONFIG_PATH = "config/autoscaling.yaml";
interface RunCliOptions {
    config?: string;
    dryRun?: boolean;
    port?: string;
    host?: string;
    db?: string;
    handler?: string;
    intervalSeconds?: string;
    workerConcurrency?: string;
    workerLeaseSeconds?: string;
    workerDrainTimeoutSeconds?: string;
    workerOrphanTimeoutSeconds?: string;
    workerLog?: string;
    jobRetentionHours?: string;
}
export declare function registerRun(program: Command): void;
/** The config file (or defaults) with the command-line overrides applied. */
export declare function loadRunConfig(opts: Pick<RunCliOptions, 'config' | 'port' | 'host' | 'db' | 'handler' | 'intervalSeconds'>): AutoscalingConfig;
/** Launches; environment problems (DB path, handler, port, a second controller) become exit 2 with one line. */
export declare function launchOrExplain(settings: LaunchSettings): Promise<LaunchedController>;
export {};
