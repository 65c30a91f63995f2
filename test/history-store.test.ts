/** The tick history and the job history in SQLite: aggregation, markers, retention, outcomes, migration. */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import type { TickSample } from '../src/control/interfaces.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
let dir: string;
let now: number;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-hist-'));
  now = T0;
  store = SqliteStore.open({ path: join(dir, 'h.db'), now: () => now, tickRetention: { maxAgeMs: 3_600_000, maxRows: 1000 } });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const sample = (i: number, extra: Partial<TickSample> = {}): TickSample => ({
  at: new Date(T0 + i * 1000), mode: 'live', provisioned: 2 + (i % 2), ready: 2, draining: 0, acted: false,
  target: 2, desired: 2, action: 'no_change', queueDepth: i, ended: 1, withinSlo: i % 4 === 0 ? 0 : 1, spendHourly: i / 100, ...extra,
});

describe('tick history', () => {
  it.each([
    { name: 'one bucket per sample when points allow', points: 100, buckets: 10, firstQueue: 0, firstProvisioned: 2 },
    { name: 'pairs averaged / maxed / summed', points: 5, buckets: 5, firstQueue: 1, firstProvisioned: 2.5 },
    { name: 'everything in one bucket', points: 1, buckets: 1, firstQueue: 9, firstProvisioned: 2.5 },
  ])('$name', async ({ points, buckets, firstQueue, firstProvisioned }) => {
    for (let i = 0; i < 10; i++) await store.appendTick(sample(i));
    const page = await store.tickHistory({ mode: 'live', fromMs: T0, toMs: T0 + 10_000, maxPoints: points });
    expect(page.points).toHaveLength(buckets);
    expect(page.points[0]?.queueDepth).toBe(firstQueue);
    expect(page.points[0]?.provisioned).toBe(firstProvisioned);
    // Counts are sums, so totals and the sum over buckets agree whatever the resolution.
    expect(page.points.reduce((a, p) => a + (p.ended ?? 0), 0)).toBe(10);
    expect(page.totals).toEqual({ samples: 10, ended: 10, withinSlo: 7, actions: 0 });
    expect(page.firstMs).toBe(T0);
  });

  it('starts buckets at the first sample, so a long range over a short history keeps its resolution', async () => {
    for (let i = 0; i < 10; i++) await store.appendTick(sample(i));
    const page = await store.tickHistory({ mode: 'live', fromMs: T0 - 7 * 86_400_000, toMs: T0 + 10_000, maxPoints: 10 });
    expect(page.bucketMs).toBe(1000);
    expect(page.points).toHaveLength(10);
  });

  it('lists every action and every gated tick as a marker, and keeps modes apart', async () => {
    await store.appendTick(sample(0, { acted: true, action: 'scale_up', before: 1, target: 3, desired: 3 }));
    await store.appendTick(sample(1, { target: 4, desired: 2 }));
    await store.appendTick(sample(2));
    await store.appendTick(sample(3, { mode: 'shadow', acted: true }));
    const page = await store.tickHistory({ mode: 'live', fromMs: T0, toMs: T0 + 10_000, maxPoints: 1 });
    expect(page.markers).toEqual([
      { at: T0, action: 'scale_up', from: 1, target: 3, desired: 3, acted: true },
      { at: T0 + 1000, action: 'no_change', from: 0, target: 4, desired: 2, acted: false },
    ]);
    expect(page.totals.samples).toBe(3);
    expect(await store.lastTickAt('shadow')).toEqual(new Date(T0 + 3000));
    expect(await store.lastTickAt('dry-run')).toBeUndefined();
  });

  it('drops samples older than the retention and beyond the row cap', async () => {
    for (let i = 0; i < 5; i++) await store.appendTick(sample(i));
    now = T0 + 3_600_000 + 2500;
    store.pruneTicks();
    const page = await store.tickHistory({ mode: 'live', fromMs: T0, toMs: now, maxPoints: 5000 });
    expect(page.points.map((p) => p.at)).toEqual([T0 + 3000, T0 + 4000]);
    store.close();
    store = SqliteStore.open({ path: join(dir, 'cap.db'), now: () => now, tickRetention: { maxRows: 2 } });
    for (let i = 0; i < 5; i++) await store.appendTick(sample(i));
    store.pruneTicks();
    expect((await store.tickHistory({ mode: 'live', fromMs: T0, toMs: now, maxPoints: 5000 })).totals.samples).toBe(2);
  });

  it('rejects an empty or reversed range', async () => {
    await expect(store.tickHistory({ mode: 'live', fromMs: T0, toMs: T0, maxPoints: 10 })).rejects.toThrow(/from < to/);
  });

  it('round-trips gate effects and stage limits in the audit log and reads an older database without the column', async () => {
    const gates = [{ gate: 'pause', from: 5, to: 3, reason: 'paused' }];
    const limits = [{ stage: 'budget', code: 'budget_hourly', message: 'Would exceed hourly budget', from: 6, to: 5 }];
    await store.appendDecision({ at: new Date(T0), action: 'scale_up', currentWorkers: 3, targetWorkers: 5, appliedWorkers: 3, reasoning: ['x', 'paused'], dryRun: false, gates, limits });
    const [back] = await store.recentDecisions(1);
    expect(back?.gates).toEqual(gates);
    expect(back?.limits).toEqual(limits);
    store.close();
    const old = join(dir, 'old.db');
    const db = new Database(old);
    db.exec(`CREATE TABLE decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, action TEXT NOT NULL,
      current_workers INTEGER NOT NULL, target_workers INTEGER NOT NULL, applied_workers INTEGER NOT NULL,
      reasoning TEXT NOT NULL, dry_run INTEGER NOT NULL);
      INSERT INTO decisions (at, action, current_workers, target_workers, applied_workers, reasoning, dry_run) VALUES (1, 'no_change', 1, 1, 1, '["ok"]', 0);`);
    db.close();
    store = SqliteStore.open({ path: old });
    const [rec] = await store.recentDecisions(1);
    expect(rec?.reasoning).toEqual(['ok']);
    expect(rec?.gates).toBeUndefined();
    expect(rec?.limits).toBeUndefined();
  });
});

describe('job history', () => {
  async function job(enqueueAt: number, startAfterMs: number | undefined, serviceMs: number, outcome: 'complete' | 'dead' | 'open'): Promise<void> {
    now = enqueueAt;
    await store.queue.enqueue({ n: enqueueAt }, outcome === 'dead' ? { maxAttempts: 1 } : {});
    if (startAfterMs === undefined) return;
    now = enqueueAt + startAfterMs;
    const [leased] = await store.queue.lease('w', 60_000);
    if (!leased) throw new Error('nothing to lease');
    now += serviceMs;
    if (outcome === 'complete') await store.queue.complete(leased.id, leased.leaseId);
    if (outcome === 'dead') await store.queue.fail(leased.id, leased.leaseId, 'boom');
  }

  it('counts arrivals per bin, with empty bins', async () => {
    await job(T0 + 100, 0, 10, 'complete');
    await job(T0 + 200, 0, 10, 'complete');
    await job(T0 + 2500, 0, 10, 'complete');
    expect(await store.jobHistory.arrivalCounts(new Date(T0), new Date(T0 + 4000), 1000)).toEqual([2, 0, 1, 0]);
    expect(await store.jobHistory.firstArrival()).toEqual(new Date(T0 + 100));
    await expect(store.jobHistory.arrivalCounts(new Date(T0), new Date(T0 + 4000), 0)).rejects.toThrow(/binMs/);
  });

  it.each([
    { name: 'by end time', by: 'ended' as const, expected: { completed: 3, deadLettered: 1, withinSlo: 2, lateUnfinished: 0, pending: 0 } },
    { name: 'by enqueue time, open jobs late or pending', by: 'enqueued' as const, expected: { completed: 3, deadLettered: 1, withinSlo: 2, lateUnfinished: 1, pending: 1 } },
  ])('outcomes against the SLO $name', async ({ by, expected }) => {
    // SLO 10 s: 2 fast completions, 1 slow one, 1 dead; then one job waiting 20 s and one just enqueued.
    await job(T0, 1000, 2000, 'complete');
    await job(T0 + 1000, 1000, 4000, 'complete');
    await job(T0 + 2000, 15_000, 1000, 'complete');
    await job(T0 + 3000, 0, 1000, 'dead');
    await job(T0 + 5000, undefined, 0, 'open');
    await job(T0 + 24_000, undefined, 0, 'open');
    const s = await store.jobHistory.turnaround(new Date(T0), new Date(T0 + 25_000), 10, by);
    expect(s).toMatchObject(expected);
    expect(s.p50Seconds).toBe(5);
    expect(s.p95Seconds).toBe(16);
    expect(s.serviceMeanSeconds).toBeCloseTo(7000 / 3000, 6);
    expect(s.serviceCv).toBeGreaterThan(0);
  });
});
