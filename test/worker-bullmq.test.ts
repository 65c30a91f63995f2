/**
 * The worker loop over the BullMQ backend (the same Worker and handler interface as on SQLite):
 * concurrency, retries with backoff, dead-letter after N attempts, PermanentJobError at once, drain.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { PermanentJobError } from '../src/autoscaling/errors.js';
import { BullmqJobQueue } from '../src/adapters/bullmq-queue.js';
import { connectRedis } from '../src/adapters/redis-client.js';
import { RedisStore } from '../src/adapters/redis-store.js';
import { silentLogger } from '../src/control/ports.js';
import type { ValidationHandler } from '../src/worker/handler.js';
import { Worker } from '../src/worker/worker.js';
import { waitFor } from './helpers/runtime-helpers.js';
import { deleteQueueKeys, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

let redis: TestRedis;
let conn: Redis;
let name: string;
let queue: BullmqJobQueue;
let store: RedisStore;
beforeAll(async () => { redis = await suiteRedis(); });
afterAll(async () => { await redis.close(); });
beforeEach(async () => {
  name = uniqueQueueName('wk');
  conn = await connectRedis(redis.target(name), { role: 'worker', clientName: 'bountybot:test' });
  queue = new BullmqJobQueue({ connection: conn, name, stalledIntervalMs: 200, retry: { maxAttempts: 3, backoffBaseMs: 30 } });
  store = new RedisStore({ connection: conn, name });
});
afterEach(async () => {
  await queue.close();
  await deleteQueueKeys(conn, name);
  await conn.quit();
});

function worker(handler: ValidationHandler, concurrency = 1): Worker {
  return new Worker({
    workerId: 'w-bull', queue, registry: store, state: store, handler, logger: silentLogger, concurrency,
    leaseMs: 2000, heartbeatMs: 100, pollMs: 10, drainTimeoutMs: 5000,
  });
}

describe('worker loop on BullMQ', () => {
  it('runs every job once, several at a time, and reports in the shared registry', async () => {
    const ran = new Map<string, number>();
    let inFlight = 0;
    let peak = 0;
    const w = worker({
      async validate(job) {
        ran.set(job.id, (ran.get(job.id) ?? 0) + 1);
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return { ok: true };
      },
    }, 4);
    await queue.enqueueBatch(Array.from({ length: 80 }, (_, i) => ({ i })));
    const run = w.run();
    await waitFor('all completed', async () => (await queue.stateCounts()).completed === 80, 15_000);
    expect(await store.workerCounts()).toEqual({ starting: 0, ready: 1, draining: 0 });
    w.drain('test done');
    expect(await run).toBe(0);
    expect(ran.size).toBe(80);
    expect([...ran.values()].every((n) => n === 1)).toBe(true);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
    expect((await store.getWorker('w-bull'))?.state).toBe('stopped');
  });

  const failures = [
    { name: 'a job that keeps failing is retried with backoff, then dead-lettered after 3 attempts', err: () => new Error('provider down'), attempts: [1, 2, 3] },
    { name: 'a PermanentJobError dead-letters at once', err: () => new PermanentJobError('malformed report'), attempts: [1] },
  ];
  for (const c of failures) {
    it(c.name, async () => {
      const seen: number[] = [];
      const w = worker({ async validate(job) { seen.push(job.attempt); throw c.err(); } });
      await queue.enqueue({ n: 1 });
      const run = w.run();
      await waitFor('dead-lettered', async () => (await queue.stateCounts()).deadLettered === 1, 10_000);
      w.drain('test done');
      await run;
      expect(seen).toEqual(c.attempts);
      expect(await queue.stateCounts()).toMatchObject({ enqueued: 1, deadLettered: 1, waiting: 0, failed: 0, active: 0 });
    });
  }

  it('drains: running jobs finish, none is taken after the drain request', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const started: string[] = [];
    const w = worker({ async validate(job) { started.push(job.id); await gate; return 1; } }, 2);
    await queue.enqueueBatch([1, 2, 3, 4, 5]);
    const run = w.run();
    await waitFor('two running', () => started.length === 2);
    w.drain('SIGTERM');
    release();
    expect(await run).toBe(0);
    expect(started).toHaveLength(2);
    expect(await queue.stateCounts()).toMatchObject({ completed: 2, waiting: 3, active: 0 });
  });
});
