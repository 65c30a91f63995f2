/**
 * The store of a controller that does not act (dry-run; later a standby replica): it reads the
 * shared store (to start from the live controller's learned policy state) but every write stays
 * in this process. A dry-run controller must never change what the live one restores: an
 * override of 0 sent to a dry-run API once shut a live fleet down after its next restart.
 */
import type { ControllerStore, DecisionRecord, StateStore } from './interfaces.js';
import type { SpendEntry, SpendLedger } from './ports.js';

export interface ShadowStoreOptions {
  /** Decisions kept in memory for status. Default 1000. */
  maxDecisions?: number;
  /** Spend entries kept in memory. Default 50000 (weeks at one per evaluation). */
  maxSpendEntries?: number;
}

export class ShadowStore implements ControllerStore, SpendLedger {
  private readonly state = new Map<string, string>();
  private readonly decisions: DecisionRecord[] = [];
  private readonly spend: SpendEntry[] = [];
  private readonly maxDecisions: number;
  private readonly maxSpend: number;

  constructor(private readonly shared: Pick<StateStore, 'loadState'>, opts: ShadowStoreOptions = {}) {
    this.maxDecisions = opts.maxDecisions ?? 1000;
    this.maxSpend = opts.maxSpendEntries ?? 50_000;
  }

  /** This process's own value if it wrote one, else the shared store's. */
  loadState(key: string): Promise<string | undefined> {
    return this.state.has(key) ? Promise.resolve(this.state.get(key)) : this.shared.loadState(key);
  }

  saveState(key: string, value: string): Promise<void> {
    this.state.set(key, value);
    return Promise.resolve();
  }

  appendDecision(record: DecisionRecord): Promise<void> {
    this.decisions.push(record);
    if (this.decisions.length > this.maxDecisions) this.decisions.splice(0, this.decisions.length - this.maxDecisions);
    return Promise.resolve();
  }

  recentDecisions(limit: number): Promise<DecisionRecord[]> {
    const n = Math.max(0, Math.floor(limit));
    return Promise.resolve(n === 0 ? [] : this.decisions.slice(-n).reverse());
  }

  appendSpend(entry: SpendEntry): Promise<void> {
    this.spend.push(entry);
    if (this.spend.length > this.maxSpend) this.spend.splice(0, this.spend.length - this.maxSpend);
    return Promise.resolve();
  }

  spendBetween(from: Date, to: Date): Promise<{ workerSeconds: number; dollars: number }> {
    let workerSeconds = 0;
    let dollars = 0;
    for (const e of this.spend) {
      if (e.at >= from && e.at < to) { workerSeconds += e.workerSeconds; dollars += e.dollars; }
    }
    return Promise.resolve({ workerSeconds, dollars });
  }

  lastSpendAt(): Promise<Date | undefined> {
    return Promise.resolve(this.spend.at(-1)?.at);
  }
}
