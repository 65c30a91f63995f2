/**
 * BullMQ's own worker loop (a `Worker` with a processor), only as the bench's reference: the same
 * jobs through BullMQ with no bountybot code in the way, so the bench can say how close the
 * JobQueue port over BullMQ comes to BullMQ itself on the same machine.
 */
import { Queue, Worker } from 'bullmq';
import { connectRedis, type RedisTarget } from './redis-client.js';

/** Enqueues `jobs` (batches of 500) and completes them with `workers` BullMQ Workers; seconds per phase. */
export async function bullmqNativeThroughput(target: RedisTarget, jobs: number, workers: number, payload: unknown): Promise<{ enqueueS: number; processS: number }> {
  const conns = await Promise.all(Array.from({ length: workers + 1 }, () => connectRedis(target, { role: 'worker', clientName: 'bountybot:bench-native' })));
  const [main, ...rest] = conns;
  const queue = new Queue(target.name, { connection: main as NonNullable<typeof main> });
  try {
    let t = performance.now();
    for (let i = 0; i < jobs; i += 500) {
      await queue.addBulk(Array.from({ length: Math.min(500, jobs - i) }, () => ({ name: 'validation', data: payload, opts: { removeOnComplete: false } })));
    }
    const enqueueS = (performance.now() - t) / 1000;
    t = performance.now();
    let done = 0;
    const ws: Worker[] = [];
    await new Promise<void>((resolve) => {
      for (const connection of rest) {
        const w = new Worker(target.name, () => Promise.resolve({ ok: true }), { connection, concurrency: 1 });
        w.on('completed', () => { if (++done === jobs) resolve(); });
        w.on('error', () => undefined);
        ws.push(w);
      }
    });
    const processS = (performance.now() - t) / 1000;
    await Promise.all(ws.map((w) => w.close()));
    return { enqueueS, processS };
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    for (const c of conns) await c.quit().catch(() => c.disconnect());
  }
}
