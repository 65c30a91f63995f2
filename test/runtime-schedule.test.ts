/**
 * The one scheduler (ControlLoop.run on a wakeable clock), the heartbeat on that clock, and what
 * a dry-run controller may write: all on a manual clock, no real waits.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { QueueMetricsSource } from '../src/control/queue-metrics-source.js';
import { registryFleet } from '../src/control/registry-fleet.js';
import { POLICY_STATE_KEY } from '../src/control/loop.js';
import { CONTROLLER_HEARTBEAT_KEY, silentLogger, type Logger } from '../src/control/ports.js';
import { WakeableClock } from '../src/control/wakeable-clock.js';
import { ControllerRuntime, GATES_STATE_KEY } from '../src/runtime/controller.js';
import { ManualClock, settle } from './helpers/fake-clock.js';
import { FakeFleet, StandInPolicy } from './helpers/runtime-fakes.js';

let dir: string;
let store: SqliteStore;
let clock: ManualClock;
const runtimes: ControllerRuntime[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-sched-'));
  clock = new ManualClock();
  store = SqliteStore.open({ path: join(dir, 's.db'), now: () => clock.t });
});
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.stop({ stopWorkers: true });
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

type Options = ConstructorParameters<typeof ControllerRuntime>[0];
let n = 0;
function runtime(extra: Partial<Options> = {}): { rt: ControllerRuntime; policy: StandInPolicy; fleet: FakeFleet } {
  const policy = new StandInPolicy();
  const fleet = new FakeFleet();
  const dryRun = extra.dryRun === true;
  const rt = new ControllerRuntime({
    store, queue: store.queue, source: new QueueMetricsSource(store.queue, store, { windowMs: 300_000 }), policy,
    actuator: dryRun ? registryFleet(store) : fleet, ...(dryRun ? {} : { pool: fleet }), clock, intervalMs: 10_000,
    dryRun, maxWorkers: 10, costPerWorkerHour: 2, logger: silentLogger, heartbeatMs: 2_000,
    ...(dryRun ? {} : { elector: store.leaderElector({ identity: `sched-${++n}`, leaseMs: 10_000 }) }),
    ...extra,
  });
  runtimes.push(rt);
  return { rt, policy, fleet };
}

function recordingLogger(): Logger & { lines: Array<{ level: string; msg?: string; fields: object }> } {
  const lines: Array<{ level: string; msg?: string; fields: object }> = [];
  const at = (level: string) => (fields: object, msg?: string): void => { lines.push({ level, fields, ...(msg !== undefined ? { msg } : {}) }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('WakeableClock', () => {
  it('wake() ends the current sleep; a wake while nobody sleeps ends the next one at once', async () => {
    const base = new ManualClock();
    const c = new WakeableClock(base);
    let woke = false;
    const sleeping = c.sleep(60_000).then(() => { woke = true; });
    await settle();
    expect(woke).toBe(false);
    c.wake();
    await sleeping;
    expect(base.now().getTime()).toBe(new ManualClock().now().getTime()); // no time passed
    c.wake();
    await c.sleep(60_000); // returns at once: the pending wake
    expect(base.pendingSleeps).toBe(0);
  });

  it('the caller signal still ends a sleep', async () => {
    const c = new WakeableClock(new ManualClock());
    const ac = new AbortController();
    const sleeping = c.sleep(60_000, ac.signal);
    ac.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});

describe('one scheduler: ControlLoop.run on the runtime clock', () => {
  it('ticks every interval of clock time, no sooner', async () => {
    const { rt, policy } = runtime();
    await rt.start();
    expect(policy.decisions).toBe(1);
    await clock.advance(9_999);
    expect(policy.decisions).toBe(1);
    await clock.advance(1);
    expect(policy.decisions).toBe(2);
    await clock.advance(30_000);
    expect(policy.decisions).toBe(5);
  });

  const kicks: Array<{ name: string; act: (rt: ControllerRuntime) => void; calls: number[] }> = [
    { name: 'override', act: (rt) => rt.override(7, 600), calls: [1, 7] },
    { name: 'resume', act: (rt) => { rt.pause(); rt.resume(); }, calls: [1] },
    { name: 'clear override', act: (rt) => rt.clearOverride(), calls: [1] },
  ];
  for (const k of kicks) {
    it(`an operator ${k.name} is evaluated at once, without waiting for the interval`, async () => {
      const { rt, policy, fleet } = runtime();
      await rt.start();
      k.act(rt);
      await settle();
      expect(policy.decisions).toBe(2);
      expect(fleet.calls).toEqual(k.calls);
    });
  }

  it('stop() ends the loop and the heartbeat without any time passing', async () => {
    const { rt } = runtime();
    await rt.start();
    await rt.stop();
    expect(clock.pendingSleeps).toBe(0);
  });

  it('the heartbeat (and lease renewal) runs on the same clock', async () => {
    const { rt } = runtime();
    const t0 = clock.t;
    await rt.start();
    const beat = async (): Promise<number> => (JSON.parse((await store.loadState(CONTROLLER_HEARTBEAT_KEY)) as string) as { at: number }).at;
    expect(await beat()).toBe(t0);
    await clock.advance(2_000);
    expect(await beat()).toBe(t0 + 2_000);
    expect((await rt.status()).leadership?.expiresAt).toBe(t0 + 2_000 + 10_000);
  });
});

describe('a dry-run controller never writes the shared store', () => {
  it('its override, pause, policy state and audit log stay in memory; the live controller restarts unaffected', async () => {
    await store.saveState(POLICY_STATE_KEY, '{"decisions":41}');
    const { rt: dry, policy } = runtime({ dryRun: true });
    await dry.start();
    expect(policy.decisions).toBe(42); // it starts from the live state (reads are fine)
    dry.override(0, 600);
    dry.pause();
    await settle();
    const s = await dry.status();
    expect(s).toMatchObject({ dryRun: true, stateStorage: 'memory', override: { workers: 0 }, pause: { paused: true } });
    expect(s.decisions.length).toBeGreaterThan(0);
    await dry.stop();

    expect(await store.loadState(GATES_STATE_KEY)).toBeUndefined();
    expect(await store.loadState(POLICY_STATE_KEY)).toBe('{"decisions":41}');
    expect(await store.loadState(CONTROLLER_HEARTBEAT_KEY)).toBeUndefined();
    expect(await store.recentDecisions(10)).toEqual([]);
    expect(await store.lastSpendAt()).toBeUndefined();

    const { rt: live, fleet } = runtime();
    await live.start();
    expect((await live.status()).override).toBeUndefined();
    expect(fleet.calls).toEqual([1]); // not held at 0 by the dry-run's override
  });
});

describe('restored override', () => {
  it('is clamped to the current max_workers, with the reason logged', async () => {
    const expiresAt = new Date(clock.t + 600_000).toISOString();
    await store.saveState(GATES_STATE_KEY, JSON.stringify({ override: { workers: 4, ttlSeconds: 600, expiresAt } }));
    const logger = recordingLogger();
    const { rt, fleet } = runtime({ maxWorkers: 2, logger });
    await rt.start();
    expect((await rt.status()).override?.workers).toBe(2);
    expect(fleet.calls).toEqual([2]);
    const warn = logger.lines.find((l) => l.level === 'warn' && /override/.test(l.msg ?? ''));
    expect(warn?.msg).toMatch(/restored override of 4 workers is above max_workers 2: clamped to 2/);
    expect(JSON.parse((await store.loadState(GATES_STATE_KEY)) as string).override.workers).toBe(2);
  });
});

describe('names that mean one thing', () => {
  it('/metrics queue_depth counts waiting jobs only; running ones are in_flight_validations', async () => {
    const { Registry } = await import('prom-client');
    const { createAutoscalingMetrics } = await import('../src/server/prometheus.js');
    const { sampleValue } = await import('./server-fakes.js');
    await store.queue.enqueueBatch([1, 2, 3, 4, 5]);
    await store.queue.lease('w', 60_000, 2);
    const { rt } = runtime();
    await rt.start();
    const registry = new Registry();
    createAutoscalingMetrics(registry, rt, { defaultMetrics: false });
    const text = await registry.metrics();
    expect(sampleValue(text, 'bountybot_autoscaling_queue_depth')).toBe(3);
    expect(sampleValue(text, 'bountybot_autoscaling_in_flight_validations')).toBe(2);
  });
});

describe('a start that fails half-way', () => {
  it('gives the lease back, so the next controller starts at once', async () => {
    const broken = runtime();
    broken.fleet.start = () => Promise.reject(new Error('cannot adopt'));
    await expect(broken.rt.start()).rejects.toThrow('cannot adopt');
    await broken.rt.stop();
    const { rt } = runtime();
    await rt.start(); // no clock advance: the lease was released
    expect((await rt.status()).leadership?.leader).toBe(true);
  });

  it('a stop() while start() is still adopting workers ends start() too (no hang)', async () => {
    const { rt, fleet, policy } = runtime();
    let release!: () => void;
    const adopted = new Promise<void>((r) => { release = r; });
    const plainStart = fleet.start.bind(fleet);
    fleet.start = async () => { await adopted; return plainStart(); };
    const starting = rt.start();
    await settle();
    const stopping = rt.stop();
    release();
    await starting;
    await stopping;
    expect(policy.decisions).toBe(0); // stopped before the first evaluation
  });
});
