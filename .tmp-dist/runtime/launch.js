/**
 * Starts a controller with its HTTP server, in the order that fails cleanly: store and handler
 * first, then the port (nothing spawned yet), then the loop and the workers. Stops in reverse.
 */
import { Registry } from 'prom-client';
import { startHttpServer } from '../server/http.js';
import { buildController } from './wiring.js';
export async function launchController(s) {
    const built = await buildController(s);
    let http;
    try {
        if (s.http) {
            http = await startHttpServer({
                host: s.http.host, port: s.http.port, runtime: built.runtime, registry: new Registry(),
                ...(s.http.token !== undefined ? { token: s.http.token } : {}), logger: s.logger,
            });
        }
        await built.runtime.start();
    }
    catch (err) {
        await built.runtime.stop({ stopWorkers: true, drainTimeoutMs: 5000 }).catch(() => undefined);
        await http?.close().catch(() => undefined);
        built.store.close();
        throw err;
    }
    let done;
    const shutdown = (opts = {}) => {
        done ??= (async () => {
            try {
                await built.runtime.stop(opts);
            }
            finally {
                await http?.close().catch(() => undefined);
                built.store.close();
            }
        })();
        return done;
    };
    return { ...built, ...(http ? { http } : {}), shutdown };
}
//# sourceMappingURL=launch.js.map