/**
 * Starts a controller with its HTTP server, in the order that fails cleanly: store and handler
 * first, then the port (nothing spawned yet), then the loop and the workers. Stops in reverse.
 */
import { Registry } from 'prom-client';
import { startHttpServer, type RunningHttpServer } from '../server/http.js';
import { checkControlApiExposure } from './api-exposure.js';
import { buildController, type BuiltController, type ControllerSettings } from './wiring.js';

export interface LaunchSettings extends ControllerSettings {
  /** Omit to run without an HTTP server. */
  http?: { host: string; port: number; token?: string };
}

export interface LaunchedController extends BuiltController {
  http?: RunningHttpServer;
  /** Stops the loop, drains the workers (unless `stopWorkers` is false), closes HTTP and the store. */
  shutdown(opts?: { stopWorkers?: boolean; drainTimeoutMs?: number }): Promise<void>;
}

/**
 * Throws a BountybotError (exit 2) for every environment problem: bad token exposure, database,
 * handler, port, another controller; whatever had started is stopped again before it throws.
 */
export async function launchController(s: LaunchSettings): Promise<LaunchedController> {
  if (s.http) checkControlApiExposure(s.http.host, s.http.token);
  const built = await buildController(s);
  let http: RunningHttpServer | undefined;
  try {
    if (s.http) {
      http = await startHttpServer({
        host: s.http.host, port: s.http.port, runtime: built.runtime, registry: new Registry(),
        ...(s.http.token !== undefined ? { token: s.http.token } : {}), logger: s.logger,
      });
    }
    await built.runtime.start();
  } catch (err) {
    await built.runtime.stop({ stopWorkers: true, drainTimeoutMs: 5000 }).catch(() => undefined);
    await http?.close().catch(() => undefined);
    await built.backend.close();
    throw err;
  }
  let done: Promise<void> | undefined;
  const shutdown = (opts: { stopWorkers?: boolean; drainTimeoutMs?: number } = {}): Promise<void> => {
    done ??= (async () => {
      try {
        await built.runtime.stop(opts);
      } finally {
        await http?.close().catch(() => undefined);
        await built.backend.close();
      }
    })();
    return done;
  };
  return { ...built, ...(http ? { http } : {}), shutdown };
}
