/**
 * LeaderElector contract, for every backend (Redis; the SQLite one too once it exists): exactly
 * one leader, fencing tokens that only grow, takeover within 2 x TTL of the leader's death.
 * Real time: leases expire on the backend's clock.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { LeaderElector } from '../../src/control/ports.js';

export interface LeaderHarness {
  /** A replica competing for the same lease. */
  replica(identity: string): LeaderElector;
  ttlMs: number;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function leaderElectorContract(backend: string, make: () => Promise<LeaderHarness>): void {
  describe(`LeaderElector contract: ${backend}`, () => {
    let h: LeaderHarness;
    beforeEach(async () => { h = await make(); });
    afterEach(async () => { await h.close(); });

    it('the first replica leads with a token; the others stand by and name the holder', async () => {
      const a = h.replica('a');
      const b = h.replica('b');
      const la = await a.tick(Date.now());
      const lb = await b.tick(Date.now());
      expect(la).toMatchObject({ leader: true, identity: 'a', holder: 'a' });
      expect(la.token).toBeGreaterThan(0);
      expect(lb).toMatchObject({ leader: false, identity: 'b', holder: 'a', token: la.token });
      expect(a.current().leader).toBe(true);
      expect(b.current().leader).toBe(false);
    });

    it('renewing keeps the lease and its token past the TTL', async () => {
      const a = h.replica('a');
      const b = h.replica('b');
      const first = await a.tick(Date.now());
      for (let i = 0; i < 6; i++) {
        await sleep(h.ttlMs / 3);
        expect((await a.tick(Date.now())).token).toBe(first.token);
        expect((await b.tick(Date.now())).leader).toBe(false);
      }
    });

    it('a released lease goes to a standby at once, with a newer token', async () => {
      const a = h.replica('a');
      const b = h.replica('b');
      const la = await a.tick(Date.now());
      await b.tick(Date.now());
      await a.release();
      expect(a.current().leader).toBe(false);
      const lb = await b.tick(Date.now());
      expect(lb.leader).toBe(true);
      expect(lb.token).toBeGreaterThan(la.token as number);
      expect((await a.tick(Date.now())).leader).toBe(false);
    });

    it('a standby takes over within 2 x TTL of the leader going silent; the old token is fenced off', async () => {
      const a = h.replica('a');
      const b = h.replica('b');
      const la = await a.tick(Date.now());
      expect(await a.fence?.(la.token as number) ?? true).toBe(true);
      const died = Date.now();
      let lb = await b.tick(Date.now());
      while (!lb.leader && Date.now() - died < 3 * h.ttlMs) {
        await sleep(h.ttlMs / 10);
        lb = await b.tick(Date.now());
      }
      const took = Date.now() - died;
      expect(lb.leader).toBe(true);
      expect(took).toBeLessThanOrEqual(2 * h.ttlMs);
      expect(lb.token).toBeGreaterThan(la.token as number);
      const stale = a.current();
      expect(stale.leader && (stale.expiresAt === undefined || stale.expiresAt > Date.now()), 'the silent leader knows its lease lapsed').toBe(false);
      if (a.fence && b.fence) {
        expect(await b.fence(lb.token as number)).toBe(true);
        expect(await a.fence(la.token as number), 'older token after a newer one acted').toBe(false);
      }
      expect((await a.tick(Date.now())).leader).toBe(false);
    });

    it('fences a token that is not the current holder\'s', async () => {
      const a = h.replica('a');
      const la = await a.tick(Date.now());
      if (!a.fence) return;
      expect(await a.fence((la.token as number) + 1)).toBe(false);
      expect(await h.replica('b').fence?.(la.token as number)).toBe(false);
      expect(await a.fence(la.token as number)).toBe(true);
    });
  });
}
