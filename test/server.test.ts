import { spawnSync } from 'node:child_process';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_DISABLED_MESSAGE } from '../src/server/auth.js';
import { ServerListenError, startHttpServer, type RunningHttpServer } from '../src/server/http.js';
import { MAX_BODY_BYTES } from '../src/server/request.js';
import { FakeRuntime, MemoryLogger, ourMetricNames, sampleValue } from './server-fakes.js';

const TOKEN = 's3cret-token-for-tests';

describe('HTTP server', () => {
  let runtime: FakeRuntime;
  let logger: MemoryLogger;
  let registry: Registry;
  let server: RunningHttpServer;
  let noTokenServer: RunningHttpServer;

  beforeEach(async () => {
    runtime = new FakeRuntime();
    logger = new MemoryLogger();
    registry = new Registry();
    server = await startHttpServer({ host: '127.0.0.1', port: 0, runtime, registry, token: TOKEN, logger });
    noTokenServer = await startHttpServer({ host: '127.0.0.1', port: 0, runtime, registry: new Registry(), logger });
  });
  afterEach(async () => {
    await server.close();
    await noTokenServer.close();
  });

  const post = (base: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, ...(body !== undefined ? { body } : {}) });
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

  it('binds where asked and reports the URL with the real port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
  });

  it('GET /metrics serves the exposition format with values from the runtime', async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sampleValue(text, 'bountybot_autoscaling_queue_depth')).toBe(25);
    expect(sampleValue(text, 'bountybot_autoscaling_budget_utilization{period="hourly"}')).toBe(0.75);
    expect(sampleValue(text, 'bountybot_autoscaling_decisions_total{action="no_change"}')).toBe(12);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it.each([
    ['in steady state', (_r: FakeRuntime): void => {}],
    ['before the first tick (no latency yet, no budget, status unreadable)', (r: FakeRuntime): void => {
      r.gaugeValues = { ...r.gaugeValues, avgLatencySeconds: Number.NaN, budgetUtilization: {} };
      r.statusFails = true;
    }],
  ])('/metrics output passes `promtool check metrics` with no lint warnings: %s', async (_name, arrange) => {
    arrange(runtime);
    const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (promtool.error) {
      throw new Error('promtool not found: run .ci/install-system-deps.sh (it does `apt-get install -y prometheus`)');
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}`.trim() }).toEqual({ status: 0, output: '' });
  });

  it.each([
    ['GET /healthz', 'GET', '/healthz', 200, { status: 'ok' }],
    ['GET /readyz when ready', 'GET', '/readyz', 200, { ready: true }],
    ['unknown path', 'GET', '/nope', 404, { error: 'no such endpoint: /nope' }],
    ['trailing slash is another path', 'GET', '/healthz/', 404, { error: 'no such endpoint: /healthz/' }],
    ['query string is ignored', 'GET', '/healthz?verbose=1', 200, { status: 'ok' }],
    ['a leading // is not read as a host', 'GET', '//evil/healthz', 404, { error: 'no such endpoint: //evil/healthz' }],
  ])('%s', async (_name, method, path, status, body) => {
    const res = await fetch(`${server.url}${path}`, { method });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
  });

  it('GET /readyz answers 503 while the runtime is not ready', async () => {
    runtime.ready = false;
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false });
  });

  it('HEAD works wherever GET does', async () => {
    const res = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });

  it.each([
    ['POST on a GET endpoint', 'POST', '/metrics', 'GET, HEAD'],
    ['GET on a control endpoint', 'GET', '/api/pause', 'POST'],
    ['PUT on override', 'PUT', '/api/override', 'POST, DELETE'],
  ])('405 for %s, with an Allow header', async (_name, method, path, allow) => {
    const res = await fetch(`${server.url}${path}`, { method, headers: bearer(TOKEN) });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(runtime.calls).toEqual([]);
  });

  it('GET /api/status returns metrics, forecast, budget, fleet, decisions and pause/override state', async () => {
    await post(server.url, '/api/override', '{"workers":4,"ttlSeconds":120}', bearer(TOKEN));
    const res = await fetch(`${server.url}/api/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['metrics', 'forecast', 'budget', 'fleet', 'decisions', 'pause', 'override', 'queue']));
    expect(body['decisions']).toEqual([expect.objectContaining({ action: 'scale_up', reasoning: ['queue 25 > target 10'] })]);
    expect(body['override']).toEqual(expect.objectContaining({ workers: 4, ttlSeconds: 120 }));
  });

  it('GET /api/status answers 500 with the reason when the runtime cannot report', async () => {
    runtime.statusFails = true;
    const res = await fetch(`${server.url}/api/status`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error: store is locked' });
  });

  const controlCalls: [string, string, string | undefined, string][] = [
    ['pause', '/api/pause', undefined, 'pause'],
    ['resume', '/api/resume', undefined, 'resume'],
    ['override', '/api/override', '{"workers":4,"ttlSeconds":300}', 'override(4,300)'],
  ];
  const authCases: [string, number, Record<string, string>, boolean][] = [
    ['no Authorization header', 401, {}, true],
    ['wrong token', 401, bearer('wrong-token'), true],
    ['right token with one character missing', 401, bearer(TOKEN.slice(0, -1)), true],
    ['Basic instead of Bearer', 401, { authorization: `Basic ${TOKEN}` }, true],
    ['token not configured on the server, no header', 403, {}, false],
    ['token not configured on the server, any token', 403, bearer(TOKEN), false],
  ];
  describe.each(controlCalls)('POST %s', (_name, path, body, call) => {
    it.each(authCases)('refuses: %s -> %d, runtime untouched', async (_case, status, headers, withToken) => {
      const base = withToken ? server.url : noTokenServer.url;
      const res = await post(base, path, body, headers);
      expect(res.status).toBe(status);
      const { error } = (await res.json()) as { error: string };
      if (status === 403) expect(error).toBe(CONTROL_DISABLED_MESSAGE);
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer realm="bountybot"');
      expect(runtime.calls).toEqual([]);
    });

    it('acts with the right token, and logs the action without the token', async () => {
      const res = await post(server.url, path, body, bearer(TOKEN));
      expect(res.status).toBe(200);
      expect(runtime.calls).toEqual([call]);
      expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'info', o: expect.objectContaining({ event: 'control' }) }));
      expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
    });
  });

  it('pause then resume flips the runtime and the paused gauge', async () => {
    expect(await (await post(server.url, '/api/pause', undefined, bearer(TOKEN))).json()).toEqual({ paused: true });
    expect(sampleValue(await (await fetch(`${server.url}/metrics`)).text(), 'bountybot_autoscaling_paused')).toBe(1);
    expect(await (await post(server.url, '/api/resume', undefined, bearer(TOKEN))).json()).toEqual({ paused: false });
    expect(runtime.paused).toBe(false);
  });

  it('DELETE /api/override clears an override (token required)', async () => {
    runtime.override(3, 60);
    runtime.calls = [];
    expect((await fetch(`${server.url}/api/override`, { method: 'DELETE' })).status).toBe(401);
    const res = await fetch(`${server.url}/api/override`, { method: 'DELETE', headers: bearer(TOKEN) });
    expect(res.status).toBe(200);
    expect(runtime.calls).toEqual(['clearOverride']);
  });

  it.each([
    ['missing body', undefined, 'request body must be a JSON object'],
    ['array body', '[4, 60]', 'request body must be a JSON object {"workers": <int>, "ttlSeconds": <int>}; got [4,60]'],
    ['workers missing', '{"ttlSeconds":60}', 'workers must be an integer >= 0; got nothing (field missing)'],
    ['workers negative', '{"workers":-1,"ttlSeconds":60}', 'workers must be an integer >= 0; got -1'],
    ['workers fractional', '{"workers":2.5,"ttlSeconds":60}', 'workers must be an integer >= 0; got 2.5'],
    ['workers as string', '{"workers":"4","ttlSeconds":60}', 'workers must be an integer >= 0; got "4"'],
    ['ttlSeconds missing', '{"workers":4}', 'ttlSeconds must be an integer in [1, 86400]; got nothing (field missing)'],
    ['ttlSeconds zero', '{"workers":4,"ttlSeconds":0}', 'ttlSeconds must be an integer in [1, 86400]; got 0'],
    ['ttlSeconds over a day', '{"workers":4,"ttlSeconds":86401}', 'ttlSeconds must be an integer in [1, 86400]; got 86401'],
    ['unknown field (typo)', '{"workers":4,"ttl":60}', 'unknown field "ttl"; expected "workers" and "ttlSeconds"'],
    ['above maxWorkers (runtime RangeError)', '{"workers":11,"ttlSeconds":60}', 'workers must be an integer in [0, 10]; got 11'],
    ['malformed JSON', '{"workers":', 'request body is not valid JSON'],
  ])('POST /api/override 400: %s', async (_name, body, message) => {
    const res = await post(server.url, '/api/override', body, bearer(TOKEN));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain(message);
    expect(runtime.calls).toEqual([]);
  });

  it('POST /api/pause with malformed JSON is 400 and does not pause', async () => {
    const res = await post(server.url, '/api/pause', '{nope', bearer(TOKEN));
    expect(res.status).toBe(400);
    expect(runtime.paused).toBe(false);
  });

  it('413 for a body over the limit (declared length), nothing changes', async () => {
    const big = JSON.stringify({ workers: 4, ttlSeconds: 60, pad: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await post(server.url, '/api/override', big, bearer(TOKEN));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/request body too large/);
    expect(runtime.calls).toEqual([]);
  });

  it('413 for a chunked body that grows over the limit', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk); else controller.close();
      },
    });
    const res = await fetch(`${server.url}/api/override`, {
      method: 'POST', headers: bearer(TOKEN), body: stream, duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(413);
    expect(runtime.calls).toEqual([]);
  });
});

describe('HTTP server lifecycle', () => {
  it('rejects with a clear message when the port is in use, and leaves its registry clean', async () => {
    const first = await startHttpServer({ host: '127.0.0.1', port: 0, runtime: new FakeRuntime(), registry: new Registry() });
    const port = Number(new URL(first.url).port);
    const registry = new Registry();
    try {
      const second = startHttpServer({ host: '127.0.0.1', port, runtime: new FakeRuntime(), registry });
      await expect(second).rejects.toThrow(ServerListenError);
      await expect(second).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
      expect(registry.getMetricsAsArray()).toHaveLength(0);
    } finally {
      await first.close();
    }
  });

  it('close() frees the port and the registry, even with a keep-alive connection open; a second close() is harmless', async () => {
    const registry = new Registry();
    const runtime = new FakeRuntime();
    const first = await startHttpServer({ host: '127.0.0.1', port: 0, runtime, registry });
    const port = Number(new URL(first.url).port);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    await first.close();
    await first.close();
    expect(ourMetricNames(registry)).toEqual([]);
    const again = await startHttpServer({ host: '127.0.0.1', port, runtime, registry });
    try {
      expect(again.url).toBe(first.url);
      expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    } finally {
      await again.close();
    }
  });
});
