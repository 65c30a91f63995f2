import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { jobQueueContract } from './contract/job-queue.contract.js';

const settings = { leaseMs: 10_000, backoffBaseMs: 1000, reclaimMs: 1000, maxAttempts: 3 };

jobQueueContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-qc-'));
  let t = Date.UTC(2025, 0, 6, 9);
  const store = SqliteStore.open({
    path: join(dir, 'q.db'), now: () => t,
    retry: { maxAttempts: settings.maxAttempts, backoffBaseMs: settings.backoffBaseMs },
  });
  return {
    queue: store.queue,
    advance: (ms) => { t += ms; return Promise.resolve(); },
    close: () => { store.close(); rmSync(dir, { recursive: true, force: true }); return Promise.resolve(); },
  };
}, settings);
