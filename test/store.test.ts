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

describe('job queue', () => {
  it('enqueues, leases oldest first, completes once', async () => {
    const ids = await store.queue.enqueueBatch([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(ids).toHaveLength(3);
    expect(Number(ids[1])).toBe(Number(ids[0]) + 1);
    const leased = await store.queue.lease('w1', 10_000, 2);
    expect(leased.map((j) => j.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(leased[0]?.attempt).toBe(1);
    const job = leased[0]!;
    expect(await store.queue.complete(job.id, job.leaseId, { ok: true })).toBe('completed');
    expect(await store.queue.complete(job.id, job.leaseId, { ok: true })).toBe('duplicate');
    expect(await store.queue.counts()).toEqual({ waiting: 1, inFlight: 1, completed: 1, deadLettered: 0 });
  });

  it('never hands the same job to two leases', async () => {
    await store.queue.enqueueBatch(Array.from({ length: 50 }, (_, i) => i));
    const other = SqliteStore.open({ path: store.path, now: time.now });
    try {
      const seen = new Set<string>();
      for (let round = 0; round < 30; round++) {
        const a = await store.queue.lease('a', 10_000, 1);
        const b = await other.queue.lease('b', 10_000, 1);
        for (const j of [...a, ...b]) {
          expect(seen.has(j.id)).toBe(false);
          seen.add(j.id);
        }
      }
      expect(seen.size).toBe(50);
    } finally {
      other.close();
    }
  });

  it('re-delivers a job whose lease expired; the stale lease can no longer complete it', async () => {
    const [id] = await store.queue.enqueueBatch(['x']);
    const [first] = await store.queue.lease('dead-worker', 5_000);
    expect(first?.id).toBe(id);
    expect(await store.queue.lease('w2', 5_000)).toEqual([]);
    time.advance(5_000);
    const [second] = await store.queue.lease('w2', 5_000);
    expect(second?.id).toBe(id);
    expect(second?.attempt).toBe(2);
    expect(await store.queue.complete(first!.id, first!.leaseId)).toBe('stale_lease');
    expect(await store.queue.complete(second!.id, second!.leaseId)).toBe('completed');
    expect(await store.queue.complete(first!.id, first!.leaseId)).toBe('duplicate');
  });

  it('a job whose worker crashed keeps its place: it is leased before the jobs enqueued after it', async () => {
    const [crashed] = await store.queue.enqueueBatch(['first']);
    await store.queue.lease('crashing-worker', 5_000);
    time.advance(1_000);
    const newer = await store.queue.enqueueBatch(Array.from({ length: 457 }, (_, i) => i));
    time.advance(5_000); // the crashed worker's lease runs out
    const [next] = await store.queue.lease('w2', 5_000);
    expect(next?.id).toBe(crashed);
    expect(next?.attempt).toBe(2);
    const [after] = await store.queue.lease('w2', 5_000);
    expect(after?.id).toBe(newer[0]);
  });

  it('a failed job still waits out its backoff, then queues behind the jobs already waiting', async () => {
    const [failing] = await store.queue.enqueueBatch(['flaky']);
    const [job] = await store.queue.lease('w', 10_000);
    expect(await store.queue.fail(job!.id, job!.leaseId, 'provider 503')).toBe('retry');
    const [waiting] = await store.queue.enqueueBatch(['fresh']);
    time.advance(999); // backoff is 1000 ms
    const [early] = await store.queue.lease('w', 10_000);
    expect(early?.id).toBe(waiting);
    time.advance(1);
    const [retried] = await store.queue.lease('w', 10_000);
    expect(retried?.id).toBe(failing);
  });

  it('fail(…, { permanent: true }) dead-letters at once, attempts left or not', async () => {
    const id = await store.queue.enqueue({ v: 1 }, { maxAttempts: 5 });
    const [job] = await store.queue.lease('w', 10_000);
    expect(await store.queue.fail(job!.id, job!.leaseId, 'malformed report', { permanent: true })).toBe('dead');
    expect(await store.queue.counts()).toEqual({ waiting: 0, inFlight: 0, completed: 0, deadLettered: 1 });
    time.advance(3_600_000);
    expect(await store.queue.lease('w', 10_000)).toEqual([]);
    expect(await store.queue.fail(id, job!.leaseId, 'again', { permanent: true })).toBe('stale_lease');
  });

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

  it('extendLease keeps a long job from being re-delivered', async () => {
    await store.queue.enqueue('long');
    const [job] = await store.queue.lease('w', 2_000);
    for (let i = 0; i < 5; i++) {
      time.advance(1_500);
      expect(await store.queue.extendLease(job!.id, job!.leaseId, 2_000)).toBe(true);
      expect(await store.queue.lease('thief', 2_000)).toEqual([]);
    }
    expect(await store.queue.extendLease(job!.id, 'not-the-lease', 2_000)).toBe(false);
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

  it('a failed lease cannot complete or fail again', async () => {
    await store.queue.enqueue(1);
    const [job] = await store.queue.lease('w', 10_000);
    expect(await store.queue.fail(job!.id, job!.leaseId, 'e')).toBe('retry');
    expect(await store.queue.complete(job!.id, job!.leaseId)).toBe('stale_lease');
    expect(await store.queue.fail(job!.id, job!.leaseId, 'e')).toBe('stale_lease');
    expect(await store.queue.complete('999', 'x')).toBe('not_found');
    expect(await store.queue.fail('999', 'x', 'e')).toBe('not_found');
  });

  it('dead-letters a job whose every lease expired', async () => {
    await store.queue.enqueue('crashy', { maxAttempts: 2 });
    await store.queue.lease('a', 1_000);
    time.advance(1_000);
    await store.queue.lease('b', 1_000);
    time.advance(1_000);
    expect(await store.queue.lease('c', 1_000)).toEqual([]);
    expect((await store.queue.counts()).deadLettered).toBe(1);
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

  it('decisions: most recent first, reasoning kept, bounded retention', async () => {
    store.close();
    store = SqliteStore.open({ path: join(dir, 'sub', 'q.db'), now: time.now, decisionRetention: 50 });
    for (let i = 0; i < 250; i++) {
      await store.appendDecision({
        at: new Date(time.t + i * 1000), action: i % 2 ? 'scale_up' : 'no_change', currentWorkers: i,
        targetWorkers: i + 1, appliedWorkers: i + 1, reasoning: [`reason ${i}`], dryRun: false,
      });
    }
    const recent = await store.recentDecisions(3);
    expect(recent.map((d) => d.reasoning[0])).toEqual(['reason 249', 'reason 248', 'reason 247']);
    expect(recent[0]?.at.getTime()).toBe(time.t + 249_000);
    expect((await store.recentDecisions(1000)).length).toBeLessThanOrEqual(150);
    const counts = store.decisionCounts();
    expect(counts.scale_up + counts.no_change).toBe((await store.recentDecisions(1000)).length);
  });

  it('spend ledger sums a period', async () => {
    await store.appendSpend({ at: new Date(time.t), workerSeconds: 3600, dollars: 2 });
    await store.appendSpend({ at: new Date(time.t + 60_000), workerSeconds: 1800, dollars: 1 });
    await store.appendSpend({ at: new Date(time.t + 3_600_000), workerSeconds: 1, dollars: 5 });
    expect(await store.spendBetween(new Date(time.t), new Date(time.t + 3_600_000)))
      .toEqual({ workerSeconds: 5400, dollars: 3 });
  });
});

describe('worker registry', () => {
  it('tracks spawn -> ready -> draining -> stopped; a late heartbeat does not undo draining', async () => {
    await store.registerSpawn('w1', 123, 'ctl-a');
    expect((await store.getWorker('w1'))?.state).toBe('starting');
    await store.reportWorker('w1', 123, 'ready', 0, 0);
    expect(await store.workerCounts()).toEqual({ starting: 0, ready: 1, draining: 0 });
    await store.setWorkerState('w1', 'draining');
    await store.reportWorker('w1', 123, 'ready', 1, 5);
    const w = await store.getWorker('w1');
    expect(w).toMatchObject({ state: 'draining', busy: 1, jobsDone: 5, controllerId: 'ctl-a' });
    await store.reportWorker('w1', 123, 'stopped', 0, 5);
    await store.reportWorker('w1', 123, 'ready', 0, 5);
    expect((await store.getWorker('w1'))?.state).toBe('stopped');
    expect(await store.listWorkers(['starting', 'ready', 'draining'])).toEqual([]);
  });

  it('adopts workers for a new controller instance and prunes stopped rows', async () => {
    await store.registerSpawn('w1', 1, 'old');
    await store.registerSpawn('w2', 2, 'old');
    await store.adoptWorkers(['w1', 'w2'], 'new');
    expect((await store.listWorkers()).map((w) => w.controllerId)).toEqual(['new', 'new']);
    await store.setWorkerState('w1', 'stopped');
    time.advance(10_000);
    expect(await store.pruneWorkers(5_000)).toBe(1);
    expect((await store.listWorkers()).map((w) => w.workerId)).toEqual(['w2']);
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
