/**
 * Contracts of the controller-side ports every store backend (SQLite, Redis) implements:
 * StateStore / ControllerStore (key/value state, the decision audit log), SpendLedger and
 * WorkerRegistry. Time is the store's injected clock.
 */
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import type { ControllerStore, DecisionRecord } from '../../src/control/interfaces.js';
import type { SpendLedger, WorkerRegistry } from '../../src/control/ports.js';

export type AnyStore = ControllerStore & SpendLedger & WorkerRegistry;

export interface StoreHarness {
  store: AnyStore;
  /** A second handle on the same data (another process, another host). */
  reopen(opts?: { decisionRetention?: number }): Promise<AnyStore>;
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

const decision = (i: number, at: number): DecisionRecord => ({
  at: new Date(at), action: i % 2 ? 'scale_up' : 'no_change', currentWorkers: i, targetWorkers: i + 1,
  appliedWorkers: i + 1, reasoning: [`reason ${i}`, 'second line'], dryRun: i % 3 === 0,
});

export function storeContract(backend: string, make: () => Promise<StoreHarness>): void {
  describe(`store contract: ${backend}`, () => {
    let h: StoreHarness;
    let s: AnyStore;
    beforeEach(async () => { h = await make(); s = h.store; });
    afterEach(async () => { await h.close(); });

    it('key/value state: last write wins, visible through another handle', async () => {
      await s.saveState('policy-state', '{"a":1}');
      await s.saveState('policy-state', '{"a":2}');
      const other = await h.reopen();
      expect(await other.loadState('policy-state')).toBe('{"a":2}');
      expect(await other.loadState('missing')).toBeUndefined();
    });

    it('decisions: most recent first, every field kept, bounded retention', async () => {
      const t0 = h.now();
      for (let i = 0; i < 5; i++) await s.appendDecision(decision(i, t0 + i * 1000));
      expect(await s.recentDecisions(2)).toEqual([decision(4, t0 + 4000), decision(3, t0 + 3000)]);
      expect(await s.recentDecisions(0)).toEqual([]);
      const small = await h.reopen({ decisionRetention: 20 });
      for (let i = 5; i < 250; i++) await small.appendDecision(decision(i, t0 + i * 1000));
      const all = await small.recentDecisions(10_000);
      expect(all[0]?.reasoning[0]).toBe('reason 249');
      expect(all.length).toBeGreaterThanOrEqual(20);
      expect(all.length).toBeLessThanOrEqual(120);
    });

    it('spend ledger: sums a half-open period, knows its last entry', async () => {
      const t = h.now();
      expect(await s.lastSpendAt()).toBeUndefined();
      await s.appendSpend({ at: new Date(t), workerSeconds: 3600, dollars: 2 });
      await s.appendSpend({ at: new Date(t + 60_000), workerSeconds: 1800, dollars: 1 });
      await s.appendSpend({ at: new Date(t + 3_600_000), workerSeconds: 1, dollars: 5 });
      const cases = [
        { name: 'first hour', from: t, to: t + 3_600_000, expected: { workerSeconds: 5400, dollars: 3 } },
        { name: 'to is exclusive, from inclusive', from: t + 60_000, to: t + 3_600_001, expected: { workerSeconds: 1801, dollars: 6 } },
        { name: 'empty period', from: t - 10, to: t, expected: { workerSeconds: 0, dollars: 0 } },
      ];
      for (const c of cases) expect(await s.spendBetween(new Date(c.from), new Date(c.to)), c.name).toEqual(c.expected);
      expect((await s.lastSpendAt())?.getTime()).toBe(t + 3_600_000);
    });

    it('registry: spawn -> ready -> draining -> stopped; a late heartbeat never undoes draining or stopped', async () => {
      await s.registerSpawn('w1', 123, 'ctl-a');
      expect(await s.getWorker('w1')).toMatchObject({ state: 'starting', pid: 123, controllerId: 'ctl-a', busy: 0, jobsDone: 0 });
      expect(await s.workerCounts()).toEqual({ starting: 1, ready: 0, draining: 0 });
      h.advance(1000);
      await s.reportWorker('w1', 123, 'ready', 0, 0);
      expect(await s.workerCounts()).toEqual({ starting: 0, ready: 1, draining: 0 });
      expect((await s.getWorker('w1'))?.heartbeatAt.getTime()).toBe(h.now());
      await s.setWorkerState('w1', 'draining');
      await s.reportWorker('w1', 123, 'ready', 1, 5);
      expect(await s.getWorker('w1')).toMatchObject({ state: 'draining', busy: 1, jobsDone: 5 });
      expect(await s.workerCounts()).toEqual({ starting: 0, ready: 0, draining: 1 });
      await s.reportWorker('w1', 123, 'stopped', 0, 5);
      await s.reportWorker('w1', 123, 'ready', 0, 5);
      await s.setWorkerState('w1', 'ready');
      expect((await s.getWorker('w1'))?.state).toBe('stopped');
      expect(await s.listWorkers(['starting', 'ready', 'draining'])).toEqual([]);
      expect(await s.workerCounts()).toEqual({ starting: 0, ready: 0, draining: 0 });
    });

    it('registry: a hand-started worker reports in without a spawn row; lists keep start order', async () => {
      await s.registerSpawn('w-b', 2, 'ctl');
      h.advance(10);
      await s.reportWorker('w-a', 1, 'ready', 0, 0);
      const rows = await s.listWorkers();
      expect(rows.map((w) => w.workerId)).toEqual(['w-b', 'w-a']);
      expect(rows[1]?.controllerId).toBeUndefined();
      expect(await s.getWorker('nope')).toBeUndefined();
      const other = await h.reopen();
      expect(await other.workerCounts()).toEqual({ starting: 1, ready: 1, draining: 0 });
    });

    it('registry: adopts workers for a new controller instance and prunes old stopped rows', async () => {
      await s.registerSpawn('w1', 1, 'old');
      await s.registerSpawn('w2', 2, 'old');
      await s.adoptWorkers(['w1', 'w2'], 'new');
      expect((await s.listWorkers()).map((w) => w.controllerId)).toEqual(['new', 'new']);
      await s.setWorkerState('w1', 'stopped');
      h.advance(10_000);
      expect(await s.pruneWorkers(5_000)).toBe(1);
      expect((await s.listWorkers()).map((w) => w.workerId)).toEqual(['w2']);
      expect(await s.pruneWorkers(5_000)).toBe(0);
    });
  });
}
