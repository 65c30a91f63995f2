/**
 * The JobQueue contract: what every queue backend (SQLite, BullMQ) must do, run against each by a
 * small test file. Time moves through the harness: a fake clock on SQLite, real (short) waits on
 * Redis, where locks expire on Redis's own clock.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { JobQueue, LeasedJob } from '../../src/control/ports.js';

export interface QueueHarness {
  queue: JobQueue;
  /** Lets `ms` of the queue's time pass. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

export interface QueueContractSettings {
  /** Lease used by the tests, ms (short on Redis: expiry is real time there). */
  leaseMs: number;
  /** Retry backoff base the harness configures, ms. */
  backoffBaseMs: number;
  /** Worst case from lease expiry until the job can be leased again, ms. */
  reclaimMs: number;
  /** Default attempts the harness configures. */
  maxAttempts: number;
}

/** Leases until `n` jobs came back or `ms` of queue time passed (reclaim is asynchronous on Redis). */
async function leaseWithin(h: QueueHarness, owner: string, leaseMs: number, n: number, ms: number): Promise<LeasedJob[]> {
  const out: LeasedJob[] = [];
  for (let waited = 0; ; waited += 50) {
    out.push(...await h.queue.lease(owner, leaseMs, n - out.length));
    if (out.length >= n || waited >= ms) return out;
    await h.advance(50);
  }
}

export function jobQueueContract(backend: string, make: () => Promise<QueueHarness>, s: QueueContractSettings): void {
  describe(`JobQueue contract: ${backend}`, () => {
    let h: QueueHarness;
    let q: JobQueue;
    beforeEach(async () => { h = await make(); q = h.queue; });
    afterEach(async () => { await h.close(); });

    it('leases the oldest jobs first, each once, with their payload and attempt 1', async () => {
      const ids = await q.enqueueBatch([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(new Set(ids).size).toBe(3);
      const first = await q.lease('w1', s.leaseMs, 2);
      expect(first.map((j) => j.payload)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(first.map((j) => j.id)).toEqual(ids.slice(0, 2));
      expect(first.every((j) => j.attempt === 1 && j.maxAttempts === s.maxAttempts)).toBe(true);
      const second = await q.lease('w2', s.leaseMs, 5);
      expect(second.map((j) => j.payload)).toEqual([{ n: 3 }]);
      expect(await q.lease('w3', s.leaseMs, 5)).toEqual([]);
    });

    it('completes a job once: duplicate, stale and unknown completions change nothing', async () => {
      const [id] = await q.enqueueBatch([{ n: 1 }]);
      const [job] = await q.lease('w1', s.leaseMs, 1);
      expect(job?.id).toBe(id);
      const cases: Array<{ name: string; call: () => Promise<string>; expected: string }> = [
        { name: 'wrong lease id', call: () => q.complete(job!.id, 'not-the-lease', { ok: 1 }), expected: 'stale_lease' },
        { name: 'the lease', call: () => q.complete(job!.id, job!.leaseId, { ok: 1 }), expected: 'completed' },
        { name: 'the lease again', call: () => q.complete(job!.id, job!.leaseId, { ok: 1 }), expected: 'duplicate' },
        { name: 'unknown job', call: () => q.complete('999999', 'x', null), expected: 'not_found' },
      ];
      for (const c of cases) expect(await c.call(), c.name).toBe(c.expected);
      expect(await q.counts()).toMatchObject({ completed: 1, inFlight: 0, waiting: 0 });
    });

    it('retries a failed job after its backoff, then dead-letters it after the last attempt', async () => {
      await q.enqueue({ n: 1 }, { maxAttempts: 2 });
      const [a] = await q.lease('w1', s.leaseMs, 1);
      expect(await q.fail(a!.id, a!.leaseId, 'provider down')).toBe('retry');
      expect(await q.lease('w1', s.leaseMs, 1), 'not before the backoff').toEqual([]);
      expect(await q.stateCounts()).toMatchObject({ failed: 1, waiting: 0, deadLettered: 0 });
      const [b] = await leaseWithin(h, 'w2', s.leaseMs, 1, s.backoffBaseMs * 4);
      expect(b?.id).toBe(a!.id);
      expect(b?.attempt).toBe(2);
      expect(await q.fail(a!.id, a!.leaseId, 'late failure of the first lease')).toBe('stale_lease');
      expect(await q.fail(b!.id, b!.leaseId, 'still down')).toBe('dead');
      expect(await q.counts()).toMatchObject({ deadLettered: 1, waiting: 0, inFlight: 0 });
      await h.advance(s.backoffBaseMs * 3);
      expect(await q.lease('w3', s.leaseMs, 1), 'a dead job never runs again').toEqual([]);
    });

    it('a failed lease can neither complete nor fail again; unknown jobs are not_found', async () => {
      await q.enqueue(1);
      const [job] = await q.lease('w', s.leaseMs * 10, 1);
      expect(await q.fail(job!.id, job!.leaseId, 'e')).toBe('retry');
      expect(await q.complete(job!.id, job!.leaseId)).toBe('stale_lease');
      expect(await q.fail(job!.id, job!.leaseId, 'e')).toBe('stale_lease');
      expect(await q.fail('999999', 'x', 'e')).toBe('not_found');
    });

    it('dead-letters a permanent failure at once, with attempts left', async () => {
      await q.enqueue({ n: 1 }, { maxAttempts: 5 });
      const [a] = await q.lease('w1', s.leaseMs, 1);
      expect(await q.fail(a!.id, a!.leaseId, 'malformed report', { permanent: true })).toBe('dead');
      expect(await q.stateCounts()).toMatchObject({ deadLettered: 1, failed: 0, waiting: 0, active: 0 });
      expect(await q.fail(a!.id, a!.leaseId, 'again', { permanent: true })).toBe('stale_lease');
    });

    it('re-runs a job whose lease expired; the lost lease can no longer complete it', async () => {
      await q.enqueue({ n: 1 });
      const [a] = await q.lease('crashed', s.leaseMs, 1);
      await h.advance(s.leaseMs);
      const [b] = await leaseWithin(h, 'w2', s.leaseMs * 4, 1, s.reclaimMs);
      expect(b?.id).toBe(a!.id);
      expect(b?.attempt).toBe(2);
      expect(await q.complete(a!.id, a!.leaseId, { by: 'crashed' })).toBe('stale_lease');
      expect(await q.complete(b!.id, b!.leaseId, { by: 'w2' })).toBe('completed');
      expect(await q.stateCounts()).toMatchObject({ completed: 1, active: 0, waiting: 0 });
    });

    it('a job whose lease expired keeps its place: it is leased before the jobs enqueued after it', async () => {
      const [crashed] = await q.enqueueBatch(['first']);
      await q.lease('crashing-worker', s.leaseMs, 1);
      const newer = await q.enqueueBatch(Array.from({ length: 20 }, (_, i) => i));
      // Past expiry and reclaim (on Redis the stalled-job check runs on its own timer).
      await h.advance(s.leaseMs + s.reclaimMs);
      const [next] = await q.lease('w2', s.leaseMs * 4, 1);
      expect(next?.id).toBe(crashed);
      expect((await q.lease('w2', s.leaseMs * 4, 1))[0]?.id).toBe(newer[0]);
    });

    it('a failed job waits out its backoff, then queues behind the jobs already waiting', async () => {
      const [failing] = await q.enqueueBatch(['flaky']);
      const [job] = await q.lease('w', s.leaseMs * 10, 1);
      expect(await q.fail(job!.id, job!.leaseId, 'provider 503')).toBe('retry');
      const [fresh] = await q.enqueueBatch(['fresh']);
      expect((await q.lease('w', s.leaseMs * 10, 1))[0]?.id, 'in its backoff, the failed job waits').toBe(fresh);
      const [behind] = await q.enqueueBatch(['enqueued during the backoff']);
      await h.advance(s.backoffBaseMs * 2);
      expect((await q.lease('w', s.leaseMs * 10, 1))[0]?.id).toBe(behind);
      expect((await q.lease('w', s.leaseMs * 10, 1))[0]?.id).toBe(failing);
    });

    it('dead-letters a job whose lease expired on its last attempt', async () => {
      await q.enqueue({ n: 1 }, { maxAttempts: 1 });
      await q.lease('crashed', s.leaseMs, 1);
      await h.advance(s.leaseMs);
      for (let waited = 0; (await q.stateCounts()).deadLettered === 0 && waited < s.reclaimMs; waited += 50) {
        expect(await q.lease('w2', s.leaseMs, 1)).toEqual([]);
        await h.advance(50);
      }
      expect(await q.stateCounts()).toMatchObject({ deadLettered: 1, active: 0, waiting: 0 });
    });

    it('keeps a lease that is extended past its first expiry; a wrong lease id cannot extend', async () => {
      await q.enqueue({ n: 1 });
      const [a] = await q.lease('w1', s.leaseMs, 1);
      expect(await q.extendLease(a!.id, 'other', s.leaseMs)).toBe(false);
      for (let i = 0; i < 4; i++) {
        await h.advance(s.leaseMs / 2);
        expect(await q.extendLease(a!.id, a!.leaseId, s.leaseMs)).toBe(true);
      }
      expect(await q.lease('w2', s.leaseMs, 1)).toEqual([]);
      expect(await q.complete(a!.id, a!.leaseId, null)).toBe('completed');
    });

    it('enqueues once per idempotency key, in single and batch calls', async () => {
      const a = await q.enqueue({ v: 1 }, { key: 'report-42' });
      const b = await q.enqueue({ v: 2 }, { key: 'report-42' });
      const batch = await q.enqueueBatch([{ v: 3 }, { v: 4 }, { v: 5 }], { keys: ['report-42', 'report:43 ü', 'report:43 ü'] });
      expect(b).toBe(a);
      expect(batch[0]).toBe(a);
      expect(batch[2]).toBe(batch[1]);
      expect(batch[1]).not.toBe(a);
      const leased = await q.lease('w', s.leaseMs, 10);
      expect(leased.map((j) => j.payload)).toEqual([{ v: 1 }, { v: 4 }]);
      expect(await q.stateCounts()).toMatchObject({ enqueued: 2, active: 2 });
      await expect(q.enqueue({}, { key: '' })).rejects.toThrow(/idempotency key/);
    });

    it('never hands one job to two concurrent leases', async () => {
      await q.enqueueBatch(Array.from({ length: 40 }, (_, i) => ({ i })));
      const got = await Promise.all(Array.from({ length: 8 }, (_, w) => q.lease(`w${w}`, s.leaseMs * 10, 5)));
      const ids = got.flat().map((j) => j.id);
      expect(ids).toHaveLength(40);
      expect(new Set(ids).size).toBe(40);
    });

    it('accounts for every job in exactly one state', async () => {
      await q.enqueueBatch([1, 2, 3, 4, 5].map((n) => ({ n })), { maxAttempts: 2 });
      const jobs = await q.lease('w', s.leaseMs * 10, 4);
      await q.complete(jobs[0]!.id, jobs[0]!.leaseId, null);
      await q.fail(jobs[1]!.id, jobs[1]!.leaseId, 'x');
      await q.fail(jobs[2]!.id, jobs[2]!.leaseId, 'x', { permanent: true });
      const c = await q.stateCounts();
      expect(c).toEqual({ enqueued: 5, waiting: 1, active: 1, delayed: 0, failed: 1, completed: 1, deadLettered: 1, purged: 0 });
      expect(await q.counts()).toEqual({ waiting: 2, inFlight: 1, completed: 1, deadLettered: 1 });
    });

    it('reports window statistics: backlog, in flight, rates, processing time, oldest wait', async () => {
      await q.enqueueBatch(Array.from({ length: 6 }, (_, i) => ({ i })));
      await h.advance(300);
      const jobs = await q.lease('w', s.leaseMs * 10, 3);
      await h.advance(200);
      for (const j of jobs.slice(0, 2)) await q.complete(j.id, j.leaseId, null);
      const st = await q.windowStats(300_000, 60_000);
      expect(st).toMatchObject({ waiting: 3, inFlight: 1, arrivals: 6, completions: 2, windowCompleted: 2, windowFailed: 0 });
      expect(st.avgLatencySeconds).toBeGreaterThanOrEqual(0.19);
      expect(st.avgLatencySeconds).toBeLessThan(1.5);
      expect(st.p95LatencySeconds).toBeGreaterThanOrEqual(0.19);
      expect(st.oldestWaitSeconds).toBeGreaterThanOrEqual(0.49);
      expect(st.serviceTimeCv, 'no cv below 20 completions').toBeUndefined();
    });
  });
}
