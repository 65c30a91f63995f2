/**
 * A LoopClock whose current sleep can be cut short: the runtime calls `wake()` after an operator
 * action (resume, override) so the loop evaluates now instead of at the next interval. Works over
 * any clock that honours the abort signal of `sleep` (the system clock, a test's manual clock).
 */
import type { LoopClock } from './interfaces.js';

export class WakeableClock implements LoopClock {
  private sleeping: AbortController | undefined;
  /** A wake that arrived while nobody slept: the next sleep returns at once. */
  private pendingWake = false;

  constructor(private readonly base: LoopClock) {}

  now(): Date {
    return this.base.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return;
    }
    if (signal?.aborted) return;
    const mine = new AbortController();
    const forward = (): void => mine.abort();
    signal?.addEventListener('abort', forward, { once: true });
    this.sleeping = mine;
    try {
      await this.base.sleep(ms, mine.signal);
    } finally {
      signal?.removeEventListener('abort', forward);
      if (this.sleeping === mine) this.sleeping = undefined;
    }
  }

  /** Ends the current sleep now, or the next one as soon as it starts. */
  wake(): void {
    if (this.sleeping) this.sleeping.abort();
    else this.pendingWake = true;
  }
}
