/** A standby controller on a shared store: HTTP up, not ready, control API refused, takes over when the lease runs out. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

const silent = pino({ level: 'silent' });
const HEARTBEAT = 1000;
let dir: string;
let store: SqliteStore;
let clock: FakeClock;
const cleanup: Array<() => Promise<void>> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-standby-'));
  clock = new FakeClock();
  store = SqliteStore.open({ path: join(dir, 'shared.db'), now: () => clock.t });
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function replica(identity: string, pool: FakeFleet): ControllerRuntime {
  const rt = new ControllerRuntime({
    store, queue: store.queue, source: new QueueMetricsSource(store.queue, store, { windowMs: 300_000 }), policy: new StandInPolicy(),
    actuator: pool, pool, clock, intervalMs: 3_600_000, dryRun: false, maxWorkers: 10, costPerWorkerHour: 2, logger: silent,
    heartbeatMs: HEARTBEAT, elector: store.leaderElector({ identity, leaseMs: 5 * HEARTBEAT }), standby: true,
  });
  cleanup.push(() => rt.stop({ stopWorkers: true }));
  return rt;
}

describe('standby controller', () => {
  it('stands by while the leader renews, refuses the control API with 409, then takes over its lease and its workers', async () => {
    const poolA = new FakeFleet();
    const poolB = new FakeFleet();
    const a = replica('ctl-a', poolA);
    await a.start();
    const b = replica('ctl-b', poolB);
    await b.start();
    expect(a.isReady()).toBe(true);
    expect(b.isReady()).toBe(false);
    expect(b.leadership()).toMatchObject({ leader: false, holder: 'ctl-a' });
    const http: RunningHttpServer = await startHttpServer({ host: '127.0.0.1', port: 0, runtime: b, registry: new Registry(), token: 'x'.repeat(16) });
    cleanup.push(() => http.close());
    const ready = await fetch(`${http.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ ready: false, role: 'standby', leader: 'ctl-a' });
    const pause = await fetch(`${http.url}/api/pause`, { method: 'POST', headers: { Authorization: `Bearer ${'x'.repeat(16)}` } });
    expect(pause.status).toBe(409);
    expect(((await pause.json()) as { error: string }).error).toMatch(/standby controller; ctl-a leads/);

    // The leader renews every heartbeat: the standby keeps standing by, however long.
    await clock.advance(30 * HEARTBEAT);
    expect(b.isReady()).toBe(false);
    expect(poolB.calls).toEqual([]);

    // The leader goes; another takes the lease and dies at once (kill -9: no release, no renewal).
    await a.stop({ stopWorkers: false });
    await store.leaderElector({ identity: 'ctl-dead', leaseMs: 5 * HEARTBEAT }).tick(clock.t);
    poolB.adopt = 3;
    await store.queue.enqueueBatch(Array.from({ length: 30 }, (_, i) => i));
    await clock.advance(4 * HEARTBEAT);
    expect(b.isReady(), 'the dead leader\'s lease has not run out yet').toBe(false);
    await clock.advance(3 * HEARTBEAT);
    expect(b.isReady()).toBe(true);
    expect(b.leadership()).toMatchObject({ leader: true, holder: 'ctl-b' });
    expect((await b.status()).fleet.provisioned, 'adopted the running workers').toBe(3);
    expect(poolB.calls, 'none restarted').toEqual([]);
    expect(() => b.pause()).not.toThrow();
  });
});
