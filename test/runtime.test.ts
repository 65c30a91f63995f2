import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { QueueMetricsSource } from '../src/control/queue-metrics-source.js';
import { parseAutoscalingConfig } from '../src/config/load.js';
import type { ScalingPolicy } from '../src/control/interfaces.js';
import { ControllerConflictError, ControllerRuntime } from '../src/runtime/controller.js';
import { buildController, DEFAULT_WORKER_SETTINGS } from '../src/startup/wiring.js';
import { CONTROLLER_HEARTBEAT_KEY } from '../src/control/ports.js';
import { POLICY_STATE_KEY } from '../src/control/loop.js';
import { FakeClock, FakeFleet, StandInPolicy } from './helpers/runtime-fakes.js';

const silent = pino({ level: 'silent' });

let dir: string;
let store: SqliteStore;
let clock: FakeClock;
const runtimes: ControllerRuntime[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-runtime-'));
  clock = new FakeClock();
  store = SqliteStore.open({ path: join(dir, 'rt.db'), now: () => clock.t });
});
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.stop({ stopWorkers: true });
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let instances = 0;
function makeRuntime(policy: ScalingPolicy, pool: FakeFleet, extra: Partial<ConstructorParameters<typeof ControllerRuntime>[0]> = {}): ControllerRuntime {
  const heartbeatMs = extra.heartbeatMs ?? 60_000;
  const rt = new ControllerRuntime({
    store, queue: store.queue, source: new QueueMetricsSource(store.queue, store, { windowMs: 300_000 }), policy,
    actuator: pool, pool, clock, intervalMs: 3_600_000, dryRun: false, maxWorkers: 10, costPerWorkerHour: 2,
    logger: silent, heartbeatMs, elector: store.leaderElector({ identity: `test-${++instances}`, leaseMs: 5 * heartbeatMs }),
    ...extra,
  });
  runtimes.push(rt);
  return rt;
}

describe('ControllerRuntime', () => {
  it('ticks on start, records the decision, reports status and gauges', async () => {
    const pool = new FakeFleet();
    const rt = makeRuntime(new StandInPolicy(), pool);
    expect(rt.isReady()).toBe(false);
    await store.queue.enqueueBatch(Array.from({ length: 35 }, (_, i) => i));
    await rt.start();
    expect(rt.isReady()).toBe(true);
    expect(pool.calls).toEqual([4]);
    const status = await rt.status();
    expect(status).toMatchObject({
      dryRun: false, desiredWorkers: 4, fleet: { provisioned: 4 }, queue: { waiting: 35, inFlight: 0 },
      pause: { paused: false },
    });
    expect(status.metrics?.queueDepth).toBe(35);
    expect(status.decisions[0]).toMatchObject({ action: 'scale_up', targetWorkers: 4, appliedWorkers: 4, reasoning: ['want 4 for queue 35'] });
    expect(rt.gauges()).toMatchObject({ queueDepth: 35, activeWorkers: 4, desiredWorkers: 4, decisionsTotal: { scale_up: 1, scale_down: 0, no_change: 0 } });
    expect(JSON.parse(JSON.stringify(status)).metrics.timestamp).toBe('2025-01-06T09:00:00.000Z');
  });

  it('pause holds the fleet; resume lets the policy act again', async () => {
    const pool = new FakeFleet();
    const rt = makeRuntime(new StandInPolicy(), pool);
    await rt.start();
    expect(pool.calls).toEqual([1]);
    rt.pause();
    await store.queue.enqueueBatch(Array.from({ length: 50 }, (_, i) => i));
    const held = await rt.tickNow();
    expect(held.applied).toBeUndefined();
    expect(held.decision?.reasoning.at(-1)).toMatch(/paused since .* holding 1 workers \(policy wanted 5\)/);
    expect((await rt.status()).pause.paused).toBe(true);
    rt.resume();
    await rt.tickNow();
    expect(pool.calls).toEqual([1, 5]);
  });

  it('override pins the fleet until its TTL passes on the loop clock; bad values throw RangeError', async () => {
    const pool = new FakeFleet();
    const rt = makeRuntime(new StandInPolicy(), pool);
    await rt.start();
    expect(() => rt.override(11, 60)).toThrow(/workers must be an integer in \[0, 10\]/);
    expect(() => rt.override(2, 0)).toThrow(/ttlSeconds/);
    rt.override(6, 60);
    await rt.tickNow();
    expect(pool.calls.at(-1)).toBe(6);
    expect((await rt.status()).override).toMatchObject({ workers: 6, ttlSeconds: 60, expiresAt: '2025-01-06T09:01:00.000Z' });
    clock.t += 61_000;
    const after = await rt.tickNow();
    expect(after.decision?.reasoning.some((r) => /expired/.test(r))).toBe(true);
    expect(pool.calls.at(-1)).toBe(1);
    expect((await rt.status()).override).toBeUndefined();
  });

  it('pause, override and policy state survive a controller restart', async () => {
    const policy = new StandInPolicy();
    const rt = makeRuntime(policy, new FakeFleet());
    await rt.start();
    await rt.tickNow();
    rt.pause();
    rt.override(3, 600);
    await rt.stop({ stopWorkers: false });

    const again = new StandInPolicy();
    const rt2 = makeRuntime(again, new FakeFleet());
    await rt2.start();
    expect(again.decisions).toBe(3); // two restored + the first tick after restart
    const s = await rt2.status();
    expect(s.pause.paused).toBe(true);
    expect(s.override?.workers).toBe(3);
    expect(s.decisions.length).toBe(3);
  });

  it('accrues spend to the ledger, including adopted workers paid while no controller ran', async () => {
    const first = makeRuntime(new StandInPolicy(), new FakeFleet());
    await first.start(); // scales to 1
    clock.t += 60_000;
    await first.tickNow(); // 1 worker × 60 s
    await first.stop({ stopWorkers: false });
    expect((await store.spendBetween(new Date(0), new Date(clock.t + 1))).workerSeconds).toBeCloseTo(60, 6);

    clock.t += 120_000; // controller down for 2 minutes, 1 worker kept running
    const pool = new FakeFleet();
    pool.adopt = 1;
    const policy = new StandInPolicy();
    const second = makeRuntime(policy, pool);
    await second.start();
    expect(policy.spend).toBeCloseTo(120, 6);
    const total = await store.spendBetween(new Date(0), new Date(clock.t + 1));
    expect(total.workerSeconds).toBeCloseTo(180, 6);
    expect(total.dollars).toBeCloseTo((180 / 3600) * 2, 9);
    expect(pool.calls).toEqual([]); // the adopted worker is the fleet the policy wants: no spawn
  });

  it('refuses to start while another controller renews its lease on the same database', async () => {
    const other = store.leaderElector({ identity: 'other-host/pid 1/abc', leaseMs: 10_000 });
    await other.tick(clock.t);
    await store.saveState(POLICY_STATE_KEY, '{"decisions":41}');
    const fleet = new FakeFleet();
    const rt = makeRuntime(new StandInPolicy(), fleet, { heartbeatMs: 2_000 });
    const outcome = rt.start().then(() => 'started', (err: unknown) => err);
    await clock.advance(500);
    await other.tick(clock.t); // the other controller is alive: it renews
    await clock.advance(1_000);
    const err = await outcome;
    expect(err).toBeInstanceOf(ControllerConflictError);
    expect(String(err)).toMatch(/another controller \(other-host\/pid 1\/abc\) is running on this database/);
    await rt.stop();
    expect(await store.loadState(POLICY_STATE_KEY)).toBe('{"decisions":41}'); // the running controller's state is untouched
    expect(fleet.calls).toEqual([]);
  });

  it('takes over from a controller killed with -9 once its lease runs out, even while its pid still exists', async () => {
    // The dead controller's pid is alive (as a zombie is): only the lease may tell.
    const dead = store.leaderElector({ identity: `host/pid ${process.ppid}/dead`, leaseMs: 10_000 });
    await dead.tick(clock.t);
    await store.saveState(CONTROLLER_HEARTBEAT_KEY, JSON.stringify({ instanceId: 'dead', pid: process.ppid, at: clock.t }));
    const rt = makeRuntime(new StandInPolicy(), new FakeFleet(), { heartbeatMs: 2_000 });
    let started = false;
    const starting = rt.start().then(() => { started = true; });
    await clock.advance(5_000);
    expect(started).toBe(false); // still within the dead controller's lease
    await clock.advance(6_000);
    await starting;
    expect(rt.isReady()).toBe(true);
    const s = await rt.status();
    expect(s.leadership).toMatchObject({ leader: true, token: 2 }); // a new holder: the fencing token moved on
    expect(JSON.parse((await store.loadState(CONTROLLER_HEARTBEAT_KEY)) as string).instanceId).toBe(rt.instanceId);
  });

  it('a clean stop gives the lease up: the next controller starts at once', async () => {
    const first = makeRuntime(new StandInPolicy(), new FakeFleet(), { heartbeatMs: 2_000 });
    await first.start();
    await first.stop({ stopWorkers: false });
    const second = makeRuntime(new StandInPolicy(), new FakeFleet(), { heartbeatMs: 2_000 });
    await second.start(); // no clock advance needed
    expect((await second.status()).leadership?.leader).toBe(true);
  });

  it('a failing metrics source never crashes the loop and nothing is actuated', async () => {
    const pool = new FakeFleet();
    const rt = makeRuntime(new StandInPolicy(), pool, { source: { read: () => Promise.reject(new Error('disk on fire')) } });
    await rt.start();
    expect(pool.calls).toEqual([]);
    expect((await rt.status()).lastError).toBe('disk on fire');
  });

  it('runs housekeeping on the first tick and then every housekeepingMs of loop time', async () => {
    const calls: number[] = [];
    const rt = makeRuntime(new StandInPolicy(), new FakeFleet(), {
      housekeepingMs: 60_000, housekeeping: (now) => { calls.push(now.getTime()); return Promise.resolve(); },
    });
    await rt.start();
    clock.t += 30_000;
    await rt.tickNow();
    clock.t += 30_000;
    await rt.tickNow();
    expect(calls).toEqual([Date.UTC(2025, 0, 6, 9, 0, 0), Date.UTC(2025, 0, 6, 9, 1, 0)]);
  });

  it('stop() drains the pool unless told to leave the workers', async () => {
    const pool = new FakeFleet();
    const rt = makeRuntime(new StandInPolicy(), pool);
    await rt.start();
    await rt.stop();
    expect(pool.stoppedAll).toBe(true);
    expect(rt.isReady()).toBe(false);
  });
});

describe('buildController (dry-run wiring with the real engine)', () => {
  it('decides and logs without touching the fleet; status has forecast and budget', async () => {
    store.close();
    const config = { ...parseAutoscalingConfig('autoscaling: {}\n'), databasePath: join(dir, 'wired.db') };
    const built = await buildController({ config, dryRun: true, worker: DEFAULT_WORKER_SETTINGS, logger: silent });
    try {
      await built.backend.queue.enqueueBatch(Array.from({ length: 40 }, (_, i) => i));
      await built.runtime.start();
      const s = await built.runtime.status();
      expect(s.dryRun).toBe(true);
      expect(s.fleet).toEqual({ provisioned: 0, ready: 0, draining: 0 });
      expect(s.decisions[0]?.dryRun).toBe(true);
      expect(s.decisions[0]?.reasoning.at(-1)).toMatch(/dry-run: would scale 0 -> \d+, not acting/);
      expect(s.budget?.hourly.budget).toBe(10);
      expect(built.pool).toBeUndefined();
      expect(built.runtime.gauges().budgetUtilization.daily).toBe(0);
    } finally {
      await built.runtime.stop();
      await built.backend.close();
      store = SqliteStore.open({ path: join(dir, 'rt.db') });
    }
  });

  it('fails before starting anything when the handler module is missing', async () => {
    const config = { ...parseAutoscalingConfig('autoscaling: {}\n'), databasePath: join(dir, 'x.db'), handler: './missing-handler.js' };
    await expect(buildController({ config, dryRun: false, worker: DEFAULT_WORKER_SETTINGS, logger: silent }))
      .rejects.toThrow(/handler module not found/);
  });
});
