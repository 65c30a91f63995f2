import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openValidationQueue } from '../src/queue/index.js';
import { REPO_ROOT } from './helpers/runtime-helpers.js';
import { deleteQueueKeys, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';
import { connectRedis } from '../src/adapters/redis-client.js';

let redis: TestRedis;
let dir: string;
beforeAll(async () => { redis = await suiteRedis(); dir = mkdtempSync(join(tmpdir(), 'bb-producer-')); });
afterAll(async () => { await redis.close(); rmSync(dir, { recursive: true, force: true }); });

describe('producer API (bountybot/queue)', () => {
  it('is exported as bountybot/queue from the build of src/queue/index.ts', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { import: string; types: string }> };
    expect(pkg.exports['./queue']).toEqual({ types: './dist/queue/index.d.ts', import: './dist/queue/index.js' });
  });

  const backends = [
    { name: 'sqlite', url: () => `sqlite:${join(dir, 'producer.db')}` },
    { name: 'redis', url: () => `${redis.url}?name=${uniqueQueueName('prod')}` },
  ];
  for (const b of backends) {
    it(`${b.name}: enqueue one or a batch; a repeated idempotency key is one job`, async () => {
      const url = b.url();
      const q = await openValidationQueue(url);
      try {
        const a = await q.enqueue({ reportId: 'r-1' }, { key: 'r-1' });
        const again = await q.enqueue({ reportId: 'r-1', retry: true }, { key: 'r-1' });
        const batch = await q.enqueueBatch([
          { payload: { reportId: 'r-1' }, key: 'r-1' }, { payload: { reportId: 'r-2' }, key: 'r-2' }, { payload: { reportId: 'anon' } },
        ]);
        expect(again).toBe(a);
        expect(batch[0]).toBe(a);
        expect(new Set(batch).size).toBe(3);
        expect(await q.stats()).toMatchObject({ enqueued: 3, waiting: 3, active: 0, completed: 0 });
        expect(q.target).not.toMatch(/password/);
      } finally {
        await q.close();
        if (b.name === 'redis') {
          const name = new URL(url).searchParams.get('name') as string;
          const c = await connectRedis(redis.target(name), { role: 'controller', clientName: 'bountybot:test' });
          await deleteQueueKeys(c, name);
          await c.quit();
        }
      }
    });
  }

  it('fails fast, naming the target, when Redis is unreachable', async () => {
    await expect(openValidationQueue('redis://127.0.0.1:1/0?name=nowhere', { commandTimeoutMs: 300 }))
      .rejects.toThrow(/cannot connect to Redis at redis:\/\/127\.0\.0\.1:1\/0\?name=nowhere/);
  });
});
