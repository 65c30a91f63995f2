import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { QueueMetricsSource } from '../src/control/queue-metrics-source.js';
import { ControllerRuntime } from '../src/runtime/controller.js';
import { startHttpServer, type RunningHttpServer } from '../src/server/http.js';
import { FakeClock, FakeFleet, StandInPolicy } from './helpers/runtime-fakes.js';
import { waitFor } from './helpers/runtime-helpers.js';

let dir: string;
let store: SqliteStore;
let runtime: ControllerRuntime;
let http: RunningHttpServer;
const fleet = new FakeFleet();
const TOKEN = 'test-token-123';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-rt-http-'));
  const clock = new FakeClock();
  store = SqliteStore.open({ path: join(dir, 'h.db'), now: () => clock.t });
  runtime = new ControllerRuntime({
    store, queue: store.queue, source: new QueueMetricsSource(store.queue, store, { windowMs: 60_000 }), policy: new StandInPolicy(),
    actuator: fleet, pool: fleet, clock, intervalMs: 3_600_000, dryRun: false, maxWorkers: 10, costPerWorkerHour: 2,
    logger: pino({ level: 'silent' }), heartbeatMs: 60_000, elector: store.leaderElector({ identity: 'http-test', leaseMs: 300_000 }),
  });
  http = await startHttpServer({ host: '127.0.0.1', port: 0, runtime, registry: new Registry(), token: TOKEN });
  await runtime.start();
});
afterAll(async () => {
  await http.close();
  await runtime.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown, token?: string): Promise<Response> => fetch(`${http.url}${path}`, {
  method: 'POST', body: JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
});

describe('runtime behind the HTTP server', () => {
  it('is ready after the first evaluation', async () => {
    const r = await fetch(`${http.url}/readyz`);
    expect(r.status).toBe(200);
  });

  it('refuses control calls without the token and changes nothing', async () => {
    const before = [...fleet.calls];
    expect((await post('/api/override', { workers: 5, ttlSeconds: 60 })).status).toBe(401);
    expect((await post('/api/pause', {}, 'wrong-token')).status).toBe(401);
    const s = await (await fetch(`${http.url}/api/status`)).json() as { override?: unknown; pause: { paused: boolean } };
    expect(s.override).toBeUndefined();
    expect(s.pause.paused).toBe(false);
    expect(fleet.calls).toEqual(before);
  });

  it('applies an override at once (no waiting for the next interval) and reports it', async () => {
    const r = await post('/api/override', { workers: 3, ttlSeconds: 120 }, TOKEN);
    expect(r.status).toBe(200);
    await waitFor('the fleet scaled to the override', () => fleet.calls.at(-1) === 3, 10_000);
    const s = await (await fetch(`${http.url}/api/status`)).json() as { override?: { workers: number }; desiredWorkers: number };
    expect(s.override?.workers).toBe(3);
    expect(s.desiredWorkers).toBe(3);
    const metrics = await (await fetch(`${http.url}/metrics`)).text();
    expect(metrics).toMatch(/^bountybot_autoscaling_desired_workers 3$/m);
  });

  it('rejects an override above max_workers with 400 naming the field', async () => {
    const r = await post('/api/override', { workers: 11, ttlSeconds: 60 }, TOKEN);
    expect(r.status).toBe(400);
    expect(await r.text()).toMatch(/workers must be an integer in \[0, 10\]/);
  });

  it('pause and resume round-trip through the API', async () => {
    expect((await post('/api/pause', {}, TOKEN)).status).toBe(200);
    expect(((await (await fetch(`${http.url}/api/status`)).json()) as { pause: { paused: boolean } }).pause.paused).toBe(true);
    expect(runtime.gauges().paused).toBe(true);
    expect((await post('/api/resume', {}, TOKEN)).status).toBe(200);
    expect(runtime.gauges().paused).toBe(false);
  });
});
