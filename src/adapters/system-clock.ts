/** The wall clock as the control loop's clock (the simulator uses a virtual one). */
import type { LoopClock } from '../control/interfaces.js';

export const systemLoopClock: LoopClock = {
  now: () => new Date(),
  sleep: (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  }),
};
