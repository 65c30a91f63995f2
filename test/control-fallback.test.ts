import { describe, it, expect } from 'vitest';
import { ControlLoop } from '../src/control/loop.js';
import { PauseGate } from '../src/control/gates.js';
import type { ControllerStore, DecisionRecord, MetricsSource, Observation } from '../src/control/interfaces.js';
import { MetricsFallback } from '../src/control/fallback.js';
import { FakeClock, FakeFleet, StandInPolicy } from './helpers/runtime-fakes.js';

/** A metrics source that fails while `down` is true. */
class FlakySource implements MetricsSource {
  down = false;
  queueDepth = 0;
  read(now: Date): Promise<Observation> {
    if (this.down) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390'));
    return Promise.resolve({
      timestamp: now, queueDepth: this.queueDepth, validationsPerMinute: 0, avgLatencySeconds: 0,
      activeWorkers: 0, arrivalsPerMinute: 0,
    });
  }
}

class MemoryStore implements ControllerStore {
  decisions: DecisionRecord[] = [];
  failWrites = false;
  state = new Map<string, string>();
  loadState(k: string) { return Promise.resolve(this.state.get(k)); }
  saveState(k: string, v: string) { this.state.set(k, v); return Promise.resolve(); }
  appendDecision(r: DecisionRecord) {
    if (this.failWrites) return Promise.reject(new Error('Redis down'));
    this.decisions.push(r);
    return Promise.resolve();
  }
  recentDecisions(n: number) { return Promise.resolve(this.decisions.slice(-n).reverse()); }
}

function setup(opts: { workers?: number; current: number; dryRun?: boolean; paused?: boolean }) {
  const clock = new FakeClock();
  const source = new FlakySource();
  const fleet = new FakeFleet();
  fleet.state = { provisioned: opts.current, ready: opts.current, draining: 0 };
  const store = new MemoryStore();
  const pause = new PauseGate();
  if (opts.paused) pause.pause(clock.now());
  const loop = new ControlLoop({
    clock, source, actuator: fleet, policy: new StandInPolicy(), store, intervalMs: 1000, dryRun: opts.dryRun === true,
    gates: [pause],
    fallback: { afterTicks: 3, minWorkers: 1, maxWorkers: 10, ...(opts.workers !== undefined ? { workers: opts.workers } : {}) },
  });
  return { clock, source, fleet, store, loop };
}

describe('metrics-outage fallback in the control loop', () => {
  const cases = [
    { name: 'no fallback_workers: holds the current size', workers: undefined, current: 4, held: 4, calls: [] as number[] },
    { name: 'fallback_workers above the fleet: scales up to it', workers: 6, current: 2, held: 6, calls: [6] },
    { name: 'fallback_workers below the fleet: never scales down', workers: 1, current: 5, held: 5, calls: [] },
    { name: 'empty fleet: at least min_workers', workers: undefined, current: 0, held: 1, calls: [1] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { source, fleet, store, loop } = setup({ current: c.current, ...(c.workers !== undefined ? { workers: c.workers } : {}) });
      source.down = true;
      for (let i = 1; i <= 2; i++) {
        const r = await loop.tick();
        expect(r.decision, `tick ${i}: below the threshold nothing is decided`).toBeUndefined();
        expect(r.fallback).toMatchObject({ active: false, consecutiveFailures: i });
      }
      const r = await loop.tick();
      expect(r.error).toMatch(/ECONNREFUSED/);
      expect(r.fallback).toMatchObject({ active: true, consecutiveFailures: 3, targetWorkers: c.held });
      expect(r.decision?.targetWorkers).toBe(c.held);
      expect(r.decision?.reasoning[0]).toMatch(/^fallback: metrics source failed 3 consecutive reads/);
      expect(fleet.calls).toEqual(c.calls);
      expect(store.decisions.at(-1)?.reasoning[0]).toMatch(/never scaling down on missing data/);
    });
  }

  it('recovers by itself at the first good read, saying so', async () => {
    const { source, loop } = setup({ current: 3 });
    source.down = true;
    for (let i = 0; i < 4; i++) await loop.tick();
    expect(loop.fallbackStatus()?.active).toBe(true);
    source.down = false;
    source.queueDepth = 20;
    const r = await loop.tick();
    expect(r.fallback).toEqual({ active: false, consecutiveFailures: 0 });
    expect(r.decision?.reasoning[0]).toMatch(/^fallback over: metrics source readable again after 4 failed reads/);
    expect(r.decision?.targetWorkers).toBe(2);
  });

  it('gates still apply: a paused fleet is held even when fallback_workers is higher', async () => {
    const { source, fleet, loop } = setup({ current: 2, workers: 6, paused: true });
    source.down = true;
    for (let i = 0; i < 3; i++) await loop.tick();
    expect(fleet.calls).toEqual([]);
  });

  it('a dry-run controller never acts on a fallback', async () => {
    const dry = setup({ current: 2, workers: 6, dryRun: true });
    dry.source.down = true;
    for (let i = 0; i < 3; i++) await dry.loop.tick();
    expect(dry.fleet.calls).toEqual([]);
    expect(dry.loop.fallbackStatus()).toMatchObject({ active: true, consecutiveFailures: 3 });
  });

  it('acts even when the audit log cannot be written (the store shares the outage)', async () => {
    const { source, fleet, store, loop } = setup({ current: 1, workers: 4 });
    source.down = true;
    store.failWrites = true;
    for (let i = 0; i < 3; i++) await loop.tick();
    expect(fleet.calls).toEqual([4]);
  });

  it('a recovery tick whose scale call is refused still records the decision, the end of the fallback and why nothing changed', async () => {
    const { source, fleet, store, loop } = setup({ current: 1 });
    source.down = true;
    for (let i = 0; i < 3; i++) await loop.tick();
    source.down = false;
    source.queueDepth = 40;
    fleet.scaleTo = () => Promise.reject(new Error('not scaling to 4: this replica does not lead'));
    const r = await loop.tick();
    expect(r.error).toMatch(/^actuation failed: not scaling to 4/);
    expect(r.applied).toBeUndefined();
    expect(r.decision?.reasoning[0]).toMatch(/^fallback over/);
    expect(store.decisions.at(-1)?.reasoning.at(-1)).toMatch(/^not applied: not scaling to 4/);
  });

  it('rejects bad settings naming the field', () => {
    expect(() => new MetricsFallback({ afterTicks: 0, minWorkers: 1, maxWorkers: 5 })).toThrow(/afterTicks must be an integer >= 1; got 0/);
    expect(() => new MetricsFallback({ afterTicks: 2, workers: 9, minWorkers: 1, maxWorkers: 5 })).toThrow(/workers must be an integer in \[0, 5\]; got 9/);
  });
});
