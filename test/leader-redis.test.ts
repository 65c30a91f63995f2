import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../src/adapters/redis-client.js';
import { RedisLeaderElector } from '../src/adapters/redis-leader.js';
import { leaderElectorContract } from './contract/leader-elector.contract.js';
import { deleteQueueKeys, RedisServer, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

const TTL = 400;
let redis: TestRedis;
beforeAll(async () => { redis = await suiteRedis(); });
afterAll(async () => { await redis.close(); });

leaderElectorContract('redis', async () => {
  const name = uniqueQueueName('le');
  const conns: Redis[] = [];
  const target = redis.target(name);
  // One connection per replica, as separate processes would have.
  const connect = async (): Promise<Redis> => {
    const c = await connectRedis(target, { role: 'controller', clientName: 'bountybot:test' });
    conns.push(c);
    return c;
  };
  const pool = await Promise.all([connect(), connect(), connect()]);
  let next = 0;
  return {
    ttlMs: TTL,
    replica: (identity) => new RedisLeaderElector({ connection: pool[next++ % pool.length] as Redis, name, identity, ttlMs: TTL }),
    close: async () => {
      await deleteQueueKeys(pool[0] as Redis, name);
      await Promise.all(conns.map((c) => c.quit()));
    },
  };
});

describe('Redis leader elector when Redis is unreachable', () => {
  it('never throws; keeps leading only while its last lease cannot have expired, then leads again', async () => {
    const server = await RedisServer.start();
    try {
      const name = uniqueQueueName('le');
      const conn = await connectRedis({ ...redis.target(name), port: server.port }, { role: 'controller', clientName: 'bountybot:test', commandTimeoutMs: 200 });
      const a = new RedisLeaderElector({ connection: conn, name, identity: 'a', ttlMs: 1000 });
      expect((await a.tick(Date.now())).leader).toBe(true);
      await server.stopProcess();
      const lost = await a.tick(Date.now());
      expect(lost.leader, 'just renewed: still within the lease').toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      expect((await a.tick(Date.now())).leader).toBe(false);
      expect(await a.fence(lost.token as number)).toBe(false);
      await server.startProcess();
      let back = await a.tick(Date.now());
      for (let i = 0; i < 50 && !back.leader; i++) {
        await new Promise((r) => setTimeout(r, 100));
        back = await a.tick(Date.now());
      }
      expect(back.leader).toBe(true);
      conn.disconnect();
    } finally {
      await server.stop();
    }
  });
});
