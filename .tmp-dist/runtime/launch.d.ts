import { type RunningHttpServer } from '../server/http.js';
import { type BuiltController, type ControllerSettings } from './wiring.js';
export interface LaunchSettings extends ControllerSettings {
    /** Omit to run without an HTTP server. */
    http?: {
        host: string;
        port: number;
        token?: string;
    };
}
export interface LaunchedController extends BuiltController {
    http?: RunningHttpServer;
    /** Stops the loop, drains the workers (unless `stopWorkers` is false), closes HTTP and the store. */
    shutdown(opts?: {
        stopWorkers?: boolean;
        drainTimeoutMs?: number;
    }): Promise<void>;
}
export declare function launchController(s: LaunchSettings): Promise<LaunchedController>;
