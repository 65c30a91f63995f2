import { afterAll, beforeAll } from 'vitest';
import { connectRedis } from '../src/adapters/redis-client.js';
import { RedisStore } from '../src/adapters/redis-store.js';
import { storeContract } from './contract/store.contract.js';
import { deleteQueueKeys, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

let redis: TestRedis;
beforeAll(async () => { redis = await suiteRedis(); });
afterAll(async () => { await redis.close(); });

storeContract('redis', async () => {
  const name = uniqueQueueName('sc');
  const connection = await connectRedis(redis.target(name), { role: 'controller', clientName: 'bountybot:test' });
  let t = Date.UTC(2025, 0, 6, 9);
  const now = (): number => t;
  return {
    store: new RedisStore({ connection, name, now }),
    reopen: (o = {}) => Promise.resolve(new RedisStore({ connection, name, now, ...o })),
    advance: (ms) => { t += ms; },
    now,
    close: async () => {
      await deleteQueueKeys(connection, name);
      await connection.quit();
    },
  };
});
