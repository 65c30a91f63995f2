import { describe, it, expect, afterEach } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { runLoad, windowPlan, type LoadProgress } from '../src/runtime/load-generator.js';
import { buildLoadPlan } from '../src/cli/load.js';

let store: SqliteStore | undefined;
afterEach(() => { store?.close(); store = undefined; });

describe('windowPlan', () => {
  const plan = { source: 't', arrivalMs: [0, 500, 1000, 1500, 2500], endMs: 3000 };
  const cases = [
    { name: 'whole plan', from: 0, dur: 3000, arrivals: [0, 500, 1000, 1500, 2500], end: 3000 },
    { name: 'middle, shifted to 0', from: 1000, dur: 1000, arrivals: [0, 500], end: 1000 },
    { name: 'past the end is clipped', from: 2000, dur: 5000, arrivals: [500], end: 1000 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const w = windowPlan(plan, c.from, c.dur);
      expect(Array.from(w.arrivalMs)).toEqual(c.arrivals);
      expect(w.endMs).toBe(c.end);
    });
  }
});

describe('runLoad', () => {
  it('enqueues every arrival in order with the payload, time-compressed', async () => {
    store = SqliteStore.open({ path: ':memory:' });
    const progress: LoadProgress[] = [];
    const n = await runLoad(store.queue, { source: 'unit', arrivalMs: [0, 100, 100, 400, 900], endMs: 1000 },
      { speed: 20, sliceMs: 10, onProgress: (p) => progress.push(p) });
    expect(n).toBe(5);
    const leased = await store.queue.lease('t', 1000, 10);
    expect(leased.map((j) => j.payload)).toEqual([0, 100, 100, 400, 900].map((traceMs, seq) => ({ seq, source: 'unit', traceMs })));
    expect(progress.at(-1)).toMatchObject({ enqueued: 5, total: 5 });
    expect(progress.map((p) => p.enqueued)).toEqual([...progress.map((p) => p.enqueued)].sort((a, b) => a - b));
  });

  it('stops early when aborted', async () => {
    store = SqliteStore.open({ path: ':memory:' });
    const abort = new AbortController();
    abort.abort();
    const n = await runLoad(store.queue, { source: 'x', arrivalMs: [0, 60_000], endMs: 120_000 }, { signal: abort.signal });
    expect(n).toBe(1);
  });

  it('rejects a bad speed', async () => {
    store = SqliteStore.open({ path: ':memory:' });
    await expect(runLoad(store.queue, { source: 'x', arrivalMs: [], endMs: 0 }, { speed: 0 })).rejects.toThrow(/speed/);
  });
});

describe('buildLoadPlan', () => {
  it('replays a window of a built-in scenario deterministically', () => {
    const a = buildLoadPlan({ scenario: 'campaign-spike', seed: 3, startMinute: 60, minutes: 1 });
    const b = buildLoadPlan({ scenario: 'campaign-spike', seed: 3, startMinute: 60, minutes: 1 });
    expect(a.arrivalMs.length).toBe(103); // 3/min + the 100-report campaign at 09:00
    expect(Array.from(a.arrivalMs)).toEqual(Array.from(b.arrivalMs));
    expect(a.endMs).toBe(60_000);
  });

  const bad = [
    { name: 'neither source', opts: { seed: 1, startMinute: 0 }, message: /exactly one of/ },
    { name: 'both sources', opts: { trace: 'x.csv', scenario: 'monday-spike', seed: 1, startMinute: 0 }, message: /exactly one of/ },
    { name: 'unknown scenario', opts: { scenario: 'nope', seed: 1, startMinute: 0 }, message: /unknown scenario/ },
    { name: 'start past the end', opts: { scenario: 'campaign-spike', seed: 1, startMinute: 100_000 }, message: /past the end/ },
    { name: 'too many jobs, naming load\'s own flags', opts: { scenario: 'campaign-spike', seed: 1, startMinute: 0, scale: 1_000_000 }, message: /use a smaller --scale, or --start-minute\/--minutes/ },
  ];
  for (const c of bad) {
    it(`rejects ${c.name}`, () => expect(() => buildLoadPlan(c.opts)).toThrow(c.message));
  }
});
