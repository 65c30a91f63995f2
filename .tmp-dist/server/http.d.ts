import type { Registry } from 'prom-client';
import type { RuntimeApi } from '../runtime/runtime-api.js';
export interface ServerLogger {
    info(o: object, msg?: string): void;
    warn(o: object, msg?: string): void;
}
export interface HttpServerOptions {
    host: string;
    port: number;
    runtime: RuntimeApi;
    registry: Registry;
    /** Bearer token for the control endpoints; without one they answer 403 (never open by default). */
    token?: string;
    logger?: ServerLogger;
}
export interface RunningHttpServer {
    /** Base URL, with the port actually bound (useful with port 0). */
    url: string;
    /** Stops accepting, ends connections and removes the server's metrics from the registry. */
    close(): Promise<void>;
}
/** Thrown when the server cannot bind; the CLI reports it as a usage error (exit 2). */
export declare class ServerListenError extends Error {
    readonly code: string | undefined;
    constructor(message: string, code: string | undefined);
}
export declare function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer>;
