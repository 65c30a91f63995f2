/**
 * Replays arrivals (a trace or scenario turned into job arrival times) into the live queue,
 * time-compressed by `speed`: trace time = elapsed wall time × speed. Jobs due in the same
 * slice go in one batch transaction.
 */
import type { JobQueue } from '../control/ports.js';

export interface LoadPlan {
  /** Name for payloads and logs (trace file or scenario). */
  source: string;
  /** Arrival times, ms of trace time from the plan's start, ascending. */
  arrivalMs: ArrayLike<number>;
  /** Trace time at which the plan ends (may be after the last arrival). */
  endMs: number;
}

export interface LoadProgress {
  enqueued: number;
  total: number;
  /** Trace time reached, ms. */
  traceMs: number;
}

export interface LoadOptions {
  /** Trace seconds per wall second. Default 1. */
  speed?: number;
  /** Wall time between batches, ms. Default 100. */
  sliceMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
  /** Payload of arrival `i`. Default `{ seq, source, traceMs }`. */
  payload?: (i: number, traceMs: number) => unknown;
  now?: () => number;
}

/** Keeps only arrivals in [fromMs, fromMs + durationMs), shifted to start at 0. */
export function windowPlan(plan: LoadPlan, fromMs: number, durationMs: number): LoadPlan {
  const out: number[] = [];
  const to = fromMs + durationMs;
  for (let i = 0; i < plan.arrivalMs.length; i++) {
    const t = plan.arrivalMs[i] as number;
    if (t >= fromMs && t < to) out.push(t - fromMs);
  }
  return { source: plan.source, arrivalMs: out, endMs: Math.min(plan.endMs, to) - fromMs };
}

/** Enqueues every arrival at its (compressed) time; resolves with the count when done or aborted. */
export async function runLoad(queue: JobQueue, plan: LoadPlan, opts: LoadOptions = {}): Promise<number> {
  const speed = opts.speed ?? 1;
  if (!(speed > 0 && Number.isFinite(speed))) throw new RangeError(`speed must be a number > 0; got ${String(speed)}`);
  const sliceMs = opts.sliceMs ?? 100;
  const now = opts.now ?? Date.now;
  const payload = opts.payload ?? ((seq: number, traceMs: number) => ({ seq, source: plan.source, traceMs }));
  const total = plan.arrivalMs.length;
  const t0 = now();
  let next = 0;
  for (;;) {
    const traceMs = (now() - t0) * speed;
    const batch: unknown[] = [];
    while (next < total && (plan.arrivalMs[next] as number) <= traceMs) {
      batch.push(payload(next, plan.arrivalMs[next] as number));
      next++;
    }
    if (batch.length > 0) await queue.enqueueBatch(batch);
    opts.onProgress?.({ enqueued: next, total, traceMs: Math.min(traceMs, plan.endMs) });
    if ((next >= total && traceMs >= plan.endMs) || opts.signal?.aborted) return next;
    const untilNext = next < total ? ((plan.arrivalMs[next] as number) - traceMs) / speed : (plan.endMs - traceMs) / speed;
    await sleep(Math.max(1, Math.min(sliceMs, untilNext)), opts.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) { resolve(); return; }
    const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
