import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { storeContract } from './contract/store.contract.js';

storeContract('sqlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-sc-'));
  const path = join(dir, 'state.db');
  let t = Date.UTC(2025, 0, 6, 9);
  const now = (): number => t;
  const open: SqliteStore[] = [SqliteStore.open({ path, now })];
  return Promise.resolve({
    store: open[0] as SqliteStore,
    reopen: (o = {}) => {
      const s = SqliteStore.open({ path, now, ...o });
      open.push(s);
      return Promise.resolve(s);
    },
    advance: (ms) => { t += ms; },
    now,
    close: () => {
      for (const s of open) s.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
