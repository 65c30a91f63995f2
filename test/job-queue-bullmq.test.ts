import { afterAll, beforeAll } from 'vitest';
import { BullmqJobQueue } from '../src/adapters/bullmq-queue.js';
import { connectRedis } from '../src/adapters/redis-client.js';
import { jobQueueContract } from './contract/job-queue.contract.js';
import { deleteQueueKeys, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

// Redis locks expire in real time: short leases and a fast stalled-job checker keep this quick.
const settings = { leaseMs: 400, backoffBaseMs: 150, reclaimMs: 1500, maxAttempts: 3 };
let redis: TestRedis;
beforeAll(async () => { redis = await suiteRedis(); });
afterAll(async () => { await redis.close(); });

jobQueueContract('bullmq', async () => {
  const name = uniqueQueueName('qc');
  const target = redis.target(name);
  const connection = await connectRedis(target, { role: 'worker', clientName: 'bountybot:test' });
  const queue = new BullmqJobQueue({
    connection, name, stalledIntervalMs: 100,
    retry: { maxAttempts: settings.maxAttempts, backoffBaseMs: settings.backoffBaseMs },
  });
  return {
    queue,
    advance: (ms) => new Promise((r) => setTimeout(r, ms)),
    close: async () => {
      await queue.close();
      await deleteQueueKeys(connection, name);
      await connection.quit();
    },
  };
}, settings);
