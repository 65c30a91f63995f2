/** What only the Redis backend has to show: many producers and worker hosts, bounded reads, vanished hosts, retention. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { BullmqJobQueue } from '../src/adapters/bullmq-queue.js';
import { BullmqJobHistory } from '../src/adapters/bullmq-job-history.js';
import { connectRedis } from '../src/adapters/redis-client.js';
import { RedisStore } from '../src/adapters/redis-store.js';
import { waitFor } from './helpers/runtime-helpers.js';
import { deleteQueueKeys, RedisServer, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => { redis = await suiteRedis(); });
afterAll(async () => { await redis.close(); });

async function withQueues<T>(n: number, fn: (qs: BullmqJobQueue[], name: string, conns: Redis[]) => Promise<T>): Promise<T> {
  const name = uniqueQueueName('rb');
  const conns = await Promise.all(Array.from({ length: n }, () => connectRedis(redis.target(name), { role: 'worker', clientName: 'bountybot:test' })));
  const qs = conns.map((connection) => new BullmqJobQueue({ connection, name }));
  try {
    return await fn(qs, name, conns);
  } finally {
    await Promise.all(qs.map((q) => q.close()));
    await deleteQueueKeys(conns[0] as Redis, name);
    await Promise.all(conns.map((c) => c.quit()));
  }
}

async function commandsPerRead(c: Redis, q: BullmqJobQueue, reads: number): Promise<number> {
  const calls = async (): Promise<number> => [...(await c.info('commandstats')).matchAll(/calls=(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  const a = await calls();
  const b = await calls();
  for (let i = 0; i < reads; i++) await q.windowStats(300_000, 60_000);
  return ((await calls()) - b - (b - a)) / reads;
}

describe('BullMQ backend on Redis', () => {
  it('counts every arrival and completion once with three producers and three workers on their own connections', async () => {
    await withQueues(6, async (qs) => {
      const producers = qs.slice(0, 3);
      const workers = qs.slice(3);
      await Promise.all(producers.map((p, i) => p.enqueueBatch(Array.from({ length: 100 }, (_, j) => ({ p: i, j })),
        { keys: Array.from({ length: 100 }, (_, j) => `p${i}-${j}`) })));
      // The same keys again, from other producers: nothing new.
      await producers[0]?.enqueueBatch(Array.from({ length: 100 }, (_, j) => ({ again: j })), { keys: Array.from({ length: 100 }, (_, j) => `p1-${j}`) });
      const done = new Map<string, number>();
      await Promise.all(workers.map(async (w, i) => {
        for (;;) {
          const jobs = await w.lease(`host-${i}`, 10_000, 5);
          if (jobs.length === 0) return;
          for (const j of jobs) if ((await w.complete(j.id, j.leaseId, null)) === 'completed') done.set(j.id, (done.get(j.id) ?? 0) + 1);
        }
      }));
      expect(done.size).toBe(300);
      expect([...done.values()].every((n) => n === 1)).toBe(true);
      // Workers send their completion statistics in batches (within 200 ms).
      const st = await waitFor('completions counted', async () => {
        const s = await qs[0]!.windowStats(300_000, 60_000);
        return s.completions === 300 ? s : undefined;
      }, 5000);
      expect(st).toMatchObject({ arrivals: 300, completions: 300, windowCompleted: 300, waiting: 0, inFlight: 0 });
      expect(st.serviceTimeCv).toBeDefined();
      expect(await qs[1]!.stateCounts()).toMatchObject({ enqueued: 300, completed: 300, waiting: 0, active: 0 });
    });
  });

  it('reads window statistics with the same Redis work whatever the backlog', async () => {
    // Its own server: INFO commandstats counts every client's commands, so nothing else may run there.
    const own = await RedisServer.start();
    const name = uniqueQueueName('rb');
    const c = await connectRedis({ ...redis.target(name), port: own.port }, { role: 'worker', clientName: 'bountybot:test' });
    const q = new BullmqJobQueue({ connection: c, name });
    try {
      await q.enqueueBatch(Array.from({ length: 10 }, (_, i) => i));
      const small = await commandsPerRead(c, q, 5);
      for (let i = 0; i < 5000; i += 1000) await q.enqueueBatch(Array.from({ length: 1000 }, (_, j) => i + j));
      const large = await commandsPerRead(c, q, 5);
      expect((await q.windowStats(300_000, 60_000)).waiting).toBe(5010);
      expect(large).toBe(small);
      expect(large).toBeLessThan(200);
    } finally {
      await q.close();
      c.disconnect();
      await own.stop();
    }
  });

  it('purges finished jobs after their retention and still accounts for every job', async () => {
    await withQueues(1, async ([q]) => {
      await q!.enqueueBatch([1, 2, 3]);
      const jobs = await q!.lease('w', 10_000, 2);
      for (const j of jobs) await q!.complete(j.id, j.leaseId, null);
      expect(await q!.purgeEnded(new Date(Date.now() + 1000))).toBe(2);
      expect(await q!.stateCounts()).toMatchObject({ enqueued: 3, completed: 0, purged: 2, waiting: 1 });
    });
  });

  it('does not count a worker whose host stopped reporting (no process pool there to mark it stopped)', async () => {
    const name = uniqueQueueName('rb');
    const conn = await connectRedis(redis.target(name), { role: 'controller', clientName: 'bountybot:test' });
    let t = Date.UTC(2025, 0, 6, 9);
    const store = new RedisStore({ connection: conn, name, now: () => t, workerStaleMs: 30_000, host: 'host-a' });
    try {
      await store.reportWorker('w-a', 10, 'ready', 0, 0);
      t += 20_000;
      await new RedisStore({ connection: conn, name, now: () => t, host: 'host-b' }).reportWorker('w-b', 11, 'ready', 0, 0);
      expect(await store.workerCounts()).toEqual({ starting: 0, ready: 2, draining: 0 });
      t += 15_000;
      expect(await store.workerCounts()).toEqual({ starting: 0, ready: 1, draining: 0 });
      expect((await store.listWorkers()).map((w) => [w.workerId, w.host])).toEqual([['w-a', 'host-a'], ['w-b', 'host-b']]);
    } finally {
      await deleteQueueKeys(conn, name);
      await conn.quit();
    }
  });
});

describe('BullMQ prefetch (as worker processes use it)', () => {
  it('hands the job fetched with a completion to the next lease, and puts an unused one back at the head of the line on close', async () => {
    const name = uniqueQueueName('pf');
    const conn = await connectRedis(redis.target(name), { role: 'worker', clientName: 'bountybot:test' });
    const q = new BullmqJobQueue({ connection: conn, name, prefetch: true });
    try {
      const ids = await q.enqueueBatch([1, 2, 3]);
      const [a] = await q.lease('w', 10_000, 1);
      expect(await q.complete(a!.id, a!.leaseId, null)).toBe('completed');
      expect(await q.stateCounts()).toMatchObject({ active: 1, waiting: 1 });
      const [b] = await q.lease('w', 10_000, 1);
      expect(b?.id).toBe(ids[1]);
      expect(await q.complete(b!.id, b!.leaseId, null)).toBe('completed');
      await q.close();
      expect(await q.stateCounts()).toMatchObject({ active: 0, waiting: 1, completed: 2 });
      const again = new BullmqJobQueue({ connection: conn, name });
      expect((await again.lease('w2', 10_000, 1))[0]?.id).toBe(ids[2]);
      await again.close();
    } finally {
      await deleteQueueKeys(conn, name);
      await conn.quit();
    }
  });
});

describe('BullMQ job history (dashboard, shadow mode)', () => {
  it('counts arrivals per bin and the outcomes of the jobs that ended', async () => {
    const name = uniqueQueueName('jh');
    const conn = await connectRedis(redis.target(name), { role: 'worker', clientName: 'bountybot:test' });
    const q = new BullmqJobQueue({ connection: conn, name });
    const h = new BullmqJobHistory(conn, name);
    try {
      const t0 = Date.now();
      await q.enqueueBatch([1, 2, 3, 4, 5]);
      const jobs = await q.lease('w', 10_000, 4);
      for (const j of jobs.slice(0, 3)) await q.complete(j.id, j.leaseId, null);
      await q.fail(jobs[3]!.id, jobs[3]!.leaseId, 'malformed', { permanent: true });
      const t1 = Date.now() + 1000;
      const cases = [
        { name: 'minute bins', bin: 60_000 },
        { name: 'second bins (the last hour)', bin: 1000 },
      ];
      for (const c of cases) {
        const bins = await h.arrivalCounts(new Date(t0 - 120_000), new Date(t1), c.bin);
        expect(bins.reduce((a, b) => a + b, 0), c.name).toBe(5);
      }
      expect((await h.firstArrival())!.getTime()).toBeGreaterThanOrEqual(t0 - 1000);
      const ended = await h.turnaround(new Date(t0 - 1000), new Date(t1), 60, 'ended');
      expect(ended).toMatchObject({ completed: 3, deadLettered: 1, withinSlo: 3, lateUnfinished: 0, pending: 0 });
      expect(ended.p95Seconds).toBeLessThan(60);
      expect(await h.turnaround(new Date(t1), new Date(t1 + 60_000), 60, 'enqueued')).toMatchObject({ completed: 0, deadLettered: 0 });
    } finally {
      await q.close();
      await deleteQueueKeys(conn, name);
      await conn.quit();
    }
  });
});
