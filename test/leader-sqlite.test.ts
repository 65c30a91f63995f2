import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { leaderElectorContract } from './contract/leader-elector.contract.js';

leaderElectorContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-le-'));
  const path = join(dir, 'lease.db');
  const stores: SqliteStore[] = [];
  const TTL = 400;
  return Promise.resolve({
    ttlMs: TTL,
    // One store per replica, as separate processes would open the file.
    replica: (identity) => {
      const s = SqliteStore.open({ path });
      stores.push(s);
      return s.leaderElector({ identity, leaseMs: TTL });
    },
    close: () => {
      for (const s of stores) s.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
