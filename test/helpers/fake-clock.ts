/**
 * A LoopClock for tests: time moves only when the test says so. `sleep` resolves when the test
 * advances time past its deadline (or when its signal aborts), so scheduling is tested without
 * real waits.
 */
import type { LoopClock } from '../../src/control/interfaces.js';

interface Sleeper { until: number; resolve: () => void }

export class ManualClock implements LoopClock {
  /** Epoch ms now; tests may also set it directly (that wakes no sleeper). */
  t: number;
  private sleepers: Sleeper[] = [];

  constructor(startMs = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.t = startMs;
  }

  now = (): Date => new Date(this.t);

  sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise<void>((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const sleeper: Sleeper = { until: this.t + Math.max(0, ms), resolve: () => undefined };
    const done = (): void => {
      this.sleepers = this.sleepers.filter((s) => s !== sleeper);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    sleeper.resolve = done;
    this.sleepers.push(sleeper);
    signal?.addEventListener('abort', done, { once: true });
  });

  /** Sleeps not yet over. */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  /**
   * Moves time forward by `ms`, waking every sleep that falls due on the way, in deadline order,
   * and letting the woken code run (to its next sleep) before moving on.
   */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      const next = this.sleepers.reduce<Sleeper | undefined>((a, s) => (a === undefined || s.until < a.until ? s : a), undefined);
      if (next === undefined || next.until > target) break;
      this.t = Math.max(this.t, next.until);
      next.resolve();
    }
    this.t = target;
    await settle();
  }
}

/** Lets every promise chain that is not waiting on real I/O or timers run to its end. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
