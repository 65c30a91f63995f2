/**
 * The controller's one HTTP server: the dashboard at `/`, Prometheus /metrics, health probes, a
 * JSON status and history, and a small bearer-protected control API. Plain `node:http`: a dozen
 * routes do not need a framework, and this keeps the request path (limits, auth order, error
 * codes) visible in one file.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { BountybotError, UsageError } from '../autoscaling/errors.js';
import type { Leadership, Logger } from '../control/ports.js';
import type { RuntimeApi } from '../control/runtime-api.js';
import { checkBearer } from './auth.js';
import { DASHBOARD_ASSETS, DASHBOARD_CSP, DashboardFiles } from './dashboard.js';
import { createAutoscalingMetrics } from './prometheus.js';
import {
  HttpError, parseDecisionsQuery, parseHistoryQuery, parseOverrideRequest, readJsonBody,
} from './request.js';


export interface HttpServerOptions {
  host: string;
  port: number;
  runtime: RuntimeApi;
  registry: Registry;
  /** Bearer token for the control endpoints; without one they answer 403 (never open by default). */
  token?: string;
  logger?: Logger;
}

export interface RunningHttpServer {
  /** Base URL, with the port actually bound (useful with port 0). */
  url: string;
  /** Stops accepting, ends connections and removes the server's metrics from the registry. */
  close(): Promise<void>;
}

/** Thrown when the server cannot bind: an environment problem (exit 2). `errno` is the system's code. */
export class ServerListenError extends UsageError {
  constructor(message: string, readonly errno: string | undefined, opts: { cause?: unknown } = {}) {
    super(message, { ...opts, code: errno === 'EADDRINUSE' ? 'HTTP_PORT_IN_USE' : 'HTTP_LISTEN_FAILED' });
  }
}

/** Requests still running this long after close() are cut. */
const CLOSE_GRACE_MS = 2_000;

interface Reply {
  status: number;
  body: string;
  contentType: string;
  headers?: Readonly<Record<string, string>>;
}

interface RequestContext {
  req: IncomingMessage;
  opts: HttpServerOptions;
  query: URLSearchParams;
  files: DashboardFiles;
  path: string;
}

interface Route {
  /** Control endpoints need the bearer token. */
  control: boolean;
  handle(ctx: RequestContext): Promise<Reply>;
}

const json = (status: number, value: unknown): Reply => ({
  status, body: `${JSON.stringify(value)}\n`, contentType: 'application/json; charset=utf-8',
});

/** The dashboard's page and assets: static files, same origin (see dashboard.ts). */
const DASHBOARD_ROUTES: Readonly<Record<string, Readonly<Record<string, Route>>>> = Object.fromEntries(
  Object.keys(DASHBOARD_ASSETS).map((path) => [path, {
    GET: {
      control: false,
      handle({ files, path: p }): Promise<Reply> {
        const file = files.read(p);
        if (file === undefined) throw new HttpError(404, `no such endpoint: ${p}`);
        const headers: Record<string, string> = file.contentType.startsWith('text/html')
          ? { 'Content-Security-Policy': DASHBOARD_CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' }
          : {};
        return Promise.resolve({ status: 200, body: file.body, contentType: file.contentType, headers });
      },
    },
  }]),
);

const ROUTES: Readonly<Record<string, Readonly<Record<string, Route>>>> = {
  ...DASHBOARD_ROUTES,
  '/metrics': {
    GET: {
      control: false,
      async handle({ opts }) {
        const body = await opts.registry.metrics();
        return { status: 200, body, contentType: opts.registry.contentType };
      },
    },
  },
  '/healthz': {
    GET: { control: false, handle: () => Promise.resolve(json(200, { status: 'ok' })) },
  },
  '/readyz': {
    GET: {
      control: false,
      handle({ opts }) {
        let ready = false;
        try { ready = opts.runtime.isReady(); } catch { ready = false; }
        let lease: Leadership | undefined;
        try { lease = opts.runtime.leadership?.(); } catch { lease = undefined; }
        // Who leads: a standby is not ready (its control API is refused) and names the leader.
        const who = lease ? { role: lease.leader ? 'leader' : 'standby', ...(lease.holder ? { leader: lease.holder } : {}) } : {};
        return Promise.resolve(json(ready ? 200 : 503, { ready, ...who }));
      },
    },
  },
  '/api/status': {
    GET: { control: false, handle: async ({ opts }) => json(200, await opts.runtime.status()) },
  },
  '/api/history': {
    GET: {
      control: false,
      async handle({ opts, query }) {
        const { runtime } = opts;
        if (!runtime.history) throw new HttpError(404, 'this controller keeps no history');
        return json(200, await runtime.history(parseHistoryQuery(query, Date.now())));
      },
    },
  },
  '/api/decisions': {
    GET: {
      control: false,
      async handle({ opts, query }) {
        const { runtime } = opts;
        const { limit } = parseDecisionsQuery(query);
        const decisions = runtime.decisionLog ? await runtime.decisionLog(limit) : (await runtime.status()).decisions.slice(0, limit);
        return json(200, { decisions });
      },
    },
  },
  '/api/pause': {
    POST: {
      control: true,
      async handle({ req, opts }) {
        await readJsonBody(req);
        opts.runtime.pause();
        audit(opts, req, 'pause', {});
        return json(200, { paused: true });
      },
    },
  },
  '/api/resume': {
    POST: {
      control: true,
      async handle({ req, opts }) {
        await readJsonBody(req);
        opts.runtime.resume();
        audit(opts, req, 'resume', {});
        return json(200, { paused: false });
      },
    },
  },
  '/api/override': {
    POST: {
      control: true,
      async handle({ req, opts }) {
        const { workers, ttlSeconds } = parseOverrideRequest(await readJsonBody(req));
        try {
          opts.runtime.override(workers, ttlSeconds);
        } catch (err) {
          // The runtime owns the bounds it knows (maxWorkers) and reports them as RangeError.
          if (err instanceof RangeError) throw new HttpError(400, err.message);
          throw err;
        }
        audit(opts, req, 'override', { workers, ttlSeconds });
        return json(200, { override: { workers, ttlSeconds } });
      },
    },
    DELETE: {
      control: true,
      async handle({ req, opts }) {
        await readJsonBody(req);
        opts.runtime.clearOverride();
        audit(opts, req, 'clear_override', {});
        return json(200, { override: null });
      },
    },
  },
};

export function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const metrics = createAutoscalingMetrics(opts.registry, opts.runtime, {
    onStatusError: (err) => opts.logger?.warn({ err: errorMessage(err) }, 'runtime status unavailable during scrape'),
  });
  const files = new DashboardFiles();
  const server = createServer((req, res) => {
    serve(req, res, opts, files).catch((err: unknown) => {
      opts.logger?.warn({ err: errorMessage(err), method: req.method, url: req.url }, 'could not send response');
      res.destroy();
    });
  });
  // Slow or stalled clients must not hold sockets open on the controller.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;

  return new Promise<RunningHttpServer>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      metrics.unregister();
      reject(listenError(err, opts.host, opts.port));
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      server.on('error', (err) => opts.logger?.warn({ err: err.message }, 'http server error'));
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${host}:${address.port}`;
      opts.logger?.info({ url, controlApi: opts.token ? 'enabled' : 'disabled' }, 'http server listening');
      resolve({ url, close: once(() => closeServer(server, metrics.unregister)) });
    });
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, opts: HttpServerOptions, files: DashboardFiles): Promise<void> {
  let reply: Reply;
  try {
    reply = await route(req, opts, files);
  } catch (err) {
    if (err instanceof HttpError) {
      reply = { ...json(err.status, { error: err.message }), headers: err.headers };
    } else if (err instanceof BountybotError && err.code === 'NOT_LEADER') {
      reply = json(409, { error: err.message });
    } else {
      opts.logger?.warn({ err: errorMessage(err), method: req.method, url: req.url }, 'request failed');
      reply = json(500, { error: `internal error: ${errorMessage(err)}` });
    }
  }
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...reply.headers,
  });
  res.end(reply.body);
}

async function route(req: IncomingMessage, opts: HttpServerOptions, files: DashboardFiles): Promise<Reply> {
  // Split off the query by hand: `new URL()` would read a leading `//host` as an authority.
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const methods = ROUTES[path];
  if (methods === undefined) throw new HttpError(404, `no such endpoint: ${path}`);
  const method = req.method ?? 'GET';
  // HEAD is GET without the body; node:http drops the body for HEAD responses.
  const handler = methods[method] ?? (method === 'HEAD' ? methods['GET'] : undefined);
  if (handler === undefined) {
    const allowed = Object.keys(methods);
    if (allowed.includes('GET')) allowed.push('HEAD');
    throw new HttpError(405, `method ${method} not allowed on ${path}; use ${allowed.join(', ')}`, { Allow: allowed.join(', ') });
  }
  // Auth before the body is read: an unauthenticated client cannot make us buffer anything.
  if (handler.control) {
    const auth = checkBearer(req.headers.authorization, opts.token);
    if (!auth.ok) {
      opts.logger?.warn({ path, method, remote: req.socket.remoteAddress, status: auth.status }, 'control request refused');
      const headers: Record<string, string> = auth.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="bountybot"' } : {};
      throw new HttpError(auth.status, auth.message, headers);
    }
  }
  return handler.handle({ req, opts, query, files, path });
}

function audit(opts: HttpServerOptions, req: IncomingMessage, action: string, detail: object): void {
  opts.logger?.info({ event: 'control', action, ...detail, remote: req.socket.remoteAddress }, `control API: ${action}`);
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): ServerListenError {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ServerListenError(`port ${port} on ${host} is already in use (set http_port in the config or pass --port)`, err.code);
    case 'EACCES':
      return new ServerListenError(`permission denied binding ${host}:${port} (ports below 1024 need privileges)`, err.code);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ServerListenError(`cannot bind ${host}:${port}: address not available on this machine`, err.code);
    default:
      return new ServerListenError(`cannot listen on ${host}:${port}: ${err.message}`, err.code);
  }
}

function closeServer(server: Server, unregister: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close((err) => {
      clearTimeout(force);
      unregister();
      if (err) reject(err); else resolve();
    });
    server.closeIdleConnections();
  });
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= fn());
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
