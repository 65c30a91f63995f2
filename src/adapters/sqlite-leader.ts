/**
 * LeaderElector over one lease row in the shared SQLite file: holder, expiry and a fencing token
 * that grows with every change of holder. The same contract as a Redis lease (SET NX PX + renew)
 * or a Kubernetes Lease: a holder renews before expiry; anyone may take an expired lease.
 */
import type Database from 'better-sqlite3';
import type { LeaderElector, Leadership } from '../control/ports.js';

export const LEASE_SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY, holder TEXT NOT NULL, token INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, renewed_at INTEGER NOT NULL
);
`;

interface LeaseRow { holder: string; token: number; expires_at: number }

export interface SqliteLeaderOptions {
  /** This replica's identity, unique per process start (host/pid/instance). */
  identity: string;
  /** How long a lease lasts unrenewed, ms. */
  leaseMs: number;
  /** Lease name: one per controlled fleet. Default 'controller'. */
  name?: string;
}

export class SqliteLeaderElector implements LeaderElector {
  private readonly name: string;
  private last: Leadership;
  private readonly st: {
    get: Database.Statement<[string], LeaseRow>;
    put: Database.Statement<[{ name: string; holder: string; token: number; expires: number; now: number }]>;
    release: Database.Statement<[number, string, string]>;
  };
  private readonly tickTx: Database.Transaction<(now: number) => Leadership>;

  constructor(db: Database.Database, private readonly o: SqliteLeaderOptions) {
    if (!(o.leaseMs > 0)) throw new RangeError(`leaseMs must be > 0; got ${String(o.leaseMs)}`);
    this.name = o.name ?? 'controller';
    this.last = { leader: false, identity: o.identity };
    this.st = {
      get: db.prepare('SELECT holder, token, expires_at FROM leases WHERE name = ?'),
      put: db.prepare(`INSERT INTO leases (name, holder, token, expires_at, renewed_at) VALUES (@name, @holder, @token, @expires, @now)
        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token,
          expires_at = excluded.expires_at, renewed_at = excluded.renewed_at`),
      release: db.prepare('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ?'),
    };
    this.tickTx = db.transaction((now: number): Leadership => {
      const row = this.st.get.get(this.name);
      const mine = row?.holder === o.identity;
      if (row !== undefined && !mine && row.expires_at > now) {
        return { leader: false, identity: o.identity, holder: row.holder, token: row.token, expiresAt: row.expires_at };
      }
      const token = row === undefined ? 1 : mine ? row.token : row.token + 1;
      const expires = now + o.leaseMs;
      this.st.put.run({ name: this.name, holder: o.identity, token, expires, now });
      return { leader: true, identity: o.identity, holder: o.identity, token, expiresAt: expires };
    });
  }

  tick(nowMs: number): Promise<Leadership> {
    try {
      this.last = this.tickTx.immediate(nowMs);
    } catch {
      // Unreadable store: still leader until the lease we hold runs out, not a moment longer.
      const l = this.last;
      this.last = { ...l, leader: l.leader && l.expiresAt !== undefined && nowMs < l.expiresAt };
    }
    return Promise.resolve(this.last);
  }

  current(): Leadership {
    return this.last;
  }

  release(): Promise<void> {
    try {
      if (this.last.leader) this.st.release.run(0, this.name, this.o.identity);
    } catch { /* the lease then simply expires */ }
    this.last = { leader: false, identity: this.o.identity };
    return Promise.resolve();
  }
}
