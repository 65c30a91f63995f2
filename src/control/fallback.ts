/**
 * Fallback on a metrics outage (KEDA's `fallback`, with its `currentReplicasIfHigher` behaviour):
 * after `afterTicks` consecutive failed reads of the metrics source, the loop stops waiting for
 * data and holds the fleet at max(current size, `workers`) — never smaller, since missing data
 * says nothing about demand. The first good read ends it. Pure: the loop reports reads in.
 *
 * KEDA falls back once failures exceed its `failureThreshold`; here the N-th failure does.
 */
import type { FleetState } from './interfaces.js';

export interface FallbackSettings {
  /** Consecutive failed reads before falling back (the config's fallback_after_ticks). */
  afterTicks: number;
  /** Fleet size to hold at least, when set (fallback_workers); otherwise the current size. */
  workers?: number;
  minWorkers: number;
  maxWorkers: number;
}

export interface FallbackStatus {
  active: boolean;
  /** Failed reads in a row (0 after a good one). */
  consecutiveFailures: number;
  /** ISO time fallback began, while active. */
  since?: string;
  /** The last read error, while failing. */
  lastError?: string;
  /** Workers held while active. */
  targetWorkers?: number;
}

export interface FallbackDecision {
  target: number;
  reason: string;
}

export class MetricsFallback {
  private failures = 0;
  private since: Date | undefined;
  private lastError: string | undefined;
  private target: number | undefined;

  constructor(private readonly s: FallbackSettings) {
    if (!(Number.isInteger(s.afterTicks) && s.afterTicks >= 1)) {
      throw new RangeError(`fallback afterTicks must be an integer >= 1; got ${String(s.afterTicks)}`);
    }
    if (s.workers !== undefined && !(Number.isInteger(s.workers) && s.workers >= 0 && s.workers <= s.maxWorkers)) {
      throw new RangeError(`fallback workers must be an integer in [0, ${s.maxWorkers}]; got ${String(s.workers)}`);
    }
  }

  /** A good read: returns the recovery reason when it ends a fallback. */
  succeeded(): string | undefined {
    const was = this.since;
    const failed = this.failures;
    this.failures = 0;
    this.since = undefined;
    this.lastError = undefined;
    this.target = undefined;
    return was === undefined ? undefined
      : `fallback over: metrics source readable again after ${failed} failed reads since ${was.toISOString()}; policy decides again`;
  }

  /** A failed read: the fleet to hold once the threshold is reached, else undefined (act on nothing). */
  failed(error: string, now: Date, fleet: FleetState): FallbackDecision | undefined {
    this.failures++;
    this.lastError = error;
    if (this.failures < this.s.afterTicks) return undefined;
    this.since ??= now;
    const floor = this.s.workers ?? fleet.provisioned;
    const target = Math.min(this.s.maxWorkers, Math.max(fleet.provisioned, floor, this.s.minWorkers));
    this.target = target;
    const what = this.s.workers === undefined ? `holding the current ${target} workers`
      : `holding max(current ${fleet.provisioned}, fallback_workers ${this.s.workers}) = ${target} workers`;
    return {
      target,
      reason: `fallback: metrics source failed ${this.failures} consecutive reads (fallback_after_ticks ${this.s.afterTicks}); `
        + `${what}, never scaling down on missing data (last error: ${error.slice(0, 200)})`,
    };
  }

  status(): FallbackStatus {
    return {
      active: this.since !== undefined, consecutiveFailures: this.failures,
      ...(this.since ? { since: this.since.toISOString() } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.target !== undefined ? { targetWorkers: this.target } : {}),
    };
  }
}
