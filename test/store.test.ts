import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, StoreOpenError } from '../src/adapters/sqlite-store.js';
import { retryDelayMs, DEFAULT_RETRY_POLICY } from '../src/adapters/sqlite-queue.js';

class FakeTime {
  t = Date.UTC(2025, 0, 6, 9, 0, 0);
  now = (): number => this.t;
  advance(ms: number): void { this.t += ms; }
}

let dir: string;
let time: FakeTime;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-store-'));
  time = new FakeTime();
  store = SqliteStore.open({ path: join(dir, 'sub', 'q.db'), now: time.now, retry: { maxAttempts: 3, backoffBaseMs: 1000 } });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('retryDelayMs', () => {
  const cases = [
    { name: 'first retry waits the base', attempt: 1, expected: 1000 },
    { name: 'doubles per attempt', attempt: 3, expected: 4000 },
    { name: 'capped at backoffMaxMs', attempt: 20, expected: 60_000 },
    { name: 'attempt 0 treated as first', attempt: 0, expected: 1000 },
  ];
  for (const c of cases) {
    it(c.name, () => expect(retryDelayMs(c.attempt, DEFAULT_RETRY_POLICY)).toBe(c.expected));
  }
});

// Queue, state, ledger and registry behaviour common to every backend: test/contract/*.contract.ts.
describe('job queue (SQLite specifics)', () => {
  it('lets a late worker complete an expired job nobody re-leased yet', async () => {
    await store.queue.enqueue('late');
    const [job] = await store.queue.lease('slow', 1_000);
    time.advance(2_000);
    await store.queue.lease('other', 1_000, 0); // reclaims expired leases; limit 0 is clamped to 1
    expect((await store.queue.counts()).completed).toBe(0);
    const res = await store.queue.complete(job!.id, job!.leaseId);
    // Either the reclaim put it back (still completable with the old lease) or another lease took it.
    expect(['completed', 'stale_lease']).toContain(res);
    const counts = await store.queue.counts();
    expect(counts.completed + counts.inFlight).toBe(1);
  });

  it('fail retries after exponential backoff, then dead-letters after maxAttempts', async () => {
    const id = await store.queue.enqueue({ v: 1 });
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await store.queue.lease('w', 10_000);
      expect(job?.id).toBe(id);
      expect(job?.attempt).toBe(attempt);
      outcomes.push(await store.queue.fail(job!.id, job!.leaseId, `boom ${attempt}`));
      if (attempt < 3) {
        time.advance(retryDelayMs(attempt, { ...DEFAULT_RETRY_POLICY, backoffBaseMs: 1000 }) - 1);
        expect(await store.queue.lease('w', 10_000)).toEqual([]);
        time.advance(1);
      }
    }
    expect(outcomes).toEqual(['retry', 'retry', 'dead']);
    expect(await store.queue.counts()).toEqual({ waiting: 0, inFlight: 0, completed: 0, deadLettered: 1 });
  });

  it('rejects invalid arguments naming the field', async () => {
    await expect(store.queue.enqueue(1, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(store.queue.lease('w', 0)).rejects.toThrow(/leaseMs/);
  });

  it('windowStats reports rates, latency, failures and the oldest wait', async () => {
    await store.queue.enqueueBatch(Array.from({ length: 20 }, (_, i) => i), { maxAttempts: 1 });
    const jobs = await store.queue.lease('w', 60_000, 20);
    // Processing times 1..20 s: job i completes i seconds after the lease.
    for (let i = 0; i < 20; i++) {
      time.advance(1_000);
      if (i < 19) await store.queue.complete(jobs[i]!.id, jobs[i]!.leaseId);
      else await store.queue.fail(jobs[i]!.id, jobs[i]!.leaseId, 'x');
    }
    time.advance(10_000);
    await store.queue.enqueueBatch([100, 101]);
    time.advance(3_000);
    const s = await store.queue.windowStats(5 * 60_000, 60_000);
    expect(s).toMatchObject({ waiting: 2, inFlight: 0, arrivals: 22, completions: 19, windowCompleted: 19, windowFailed: 1 });
    expect(s.avgLatencySeconds).toBeCloseTo(10, 6);
    expect(s.p95LatencySeconds).toBe(19);
    expect(s.serviceTimeCv).toBeUndefined(); // 19 completions: too few to size on their spread
    expect(s.oldestWaitSeconds).toBe(3);
    time.advance(61_000);
    const later = await store.queue.windowStats(5 * 60_000, 60_000);
    expect(later.arrivals).toBe(0);
    expect(later.completions).toBe(0);
    expect(later.windowCompleted).toBe(19);
  });

  it('windowStats reports the processing-time cv once 20 or more jobs completed', async () => {
    await store.queue.enqueueBatch(Array.from({ length: 25 }, (_, i) => i), { maxAttempts: 1 });
    const jobs = await store.queue.lease('w', 60_000, 25);
    for (const job of jobs) {
      time.advance(1_000); // processing times 1..25 s
      await store.queue.complete(job.id, job.leaseId);
    }
    const s = await store.queue.windowStats(5 * 60_000, 60_000);
    // Sample sd of 1..25 is sqrt(25·26/12) = 7.36; mean 13.
    expect(s.serviceTimeCv).toBeCloseTo(Math.sqrt((25 * 26) / 12) / 13, 9);
  });

  it('purgeEnded deletes finished jobs only', async () => {
    await store.queue.enqueueBatch([1, 2]);
    const [a] = await store.queue.lease('w', 1000);
    await store.queue.complete(a!.id, a!.leaseId);
    time.advance(10);
    expect(store.queue.purgeEnded(new Date(time.t))).toBe(1);
    expect(await store.queue.counts()).toEqual({ waiting: 1, inFlight: 0, completed: 0, deadLettered: 0 });
  });
});

describe('controller state', () => {
  it('key/value state survives reopening the file', async () => {
    await store.saveState('policy-state', '{"a":1}');
    await store.saveState('policy-state', '{"a":2}');
    store.close();
    store = SqliteStore.open({ path: join(dir, 'sub', 'q.db'), now: time.now });
    expect(await store.loadState('policy-state')).toBe('{"a":2}');
    expect(await store.loadState('missing')).toBeUndefined();
  });

});

describe('opening', () => {
  it('creates missing directories', () => {
    const s = SqliteStore.open({ path: join(dir, 'a', 'b', 'c', 'x.db') });
    expect(s.isOpen).toBe(true);
    s.close();
  });

  it('fails with StoreOpenError naming the path when it cannot write', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const bad = join(file, 'sub', 'x.db');
    expect(() => SqliteStore.open({ path: bad })).toThrow(StoreOpenError);
    expect(() => SqliteStore.open({ path: bad })).toThrow(/a-file/);
  });

  it('rejects a file that is not a database', () => {
    const file = join(dir, 'garbage.db');
    writeFileSync(file, 'x'.repeat(4096));
    expect(() => SqliteStore.open({ path: file })).toThrow(StoreOpenError);
  });
});
