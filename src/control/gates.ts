/**
 * Operator gates on the loop's target: pause (hold the fleet as it is) and a manual override
 * (pin the fleet for a while). Pure: time comes from the loop's clock through `apply`/`set`.
 */
import type { FleetState } from './interfaces.js';
import type { Gate } from './loop.js';

/** While paused the loop keeps deciding and logging, but the fleet stays as it is. */
export class PauseGate implements Gate {
  readonly name = 'pause';
  private pausedAt: Date | undefined;

  /** Idempotent: a second pause keeps the first time. */
  pause(now: Date): void {
    this.pausedAt ??= now;
  }

  resume(): void {
    this.pausedAt = undefined;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  get since(): Date | undefined {
    return this.pausedAt;
  }

  apply(target: number, current: FleetState): { target: number; reason?: string } {
    if (this.pausedAt === undefined) return { target };
    return {
      target: current.provisioned,
      reason: `paused since ${this.pausedAt.toISOString()}: holding ${current.provisioned} workers (policy wanted ${target})`,
    };
  }
}

export interface OverrideSetting {
  workers: number;
  ttlSeconds: number;
  expiresAt: Date;
}

/** Pins the fleet at `workers` until `ttlSeconds` after it was set; then the policy decides again. */
export class OverrideGate implements Gate {
  readonly name = 'override';
  private setting: OverrideSetting | undefined;

  constructor(private readonly maxWorkers: number, private readonly maxTtlSeconds = 86_400) {}

  /** Throws RangeError naming the field when a value is out of range. */
  set(workers: number, ttlSeconds: number, now: Date): OverrideSetting {
    if (!Number.isInteger(workers) || workers < 0 || workers > this.maxWorkers) {
      throw new RangeError(`workers must be an integer in [0, ${this.maxWorkers}]; got ${String(workers)}`);
    }
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.maxTtlSeconds) {
      throw new RangeError(`ttlSeconds must be an integer in [1, ${this.maxTtlSeconds}]; got ${String(ttlSeconds)}`);
    }
    this.setting = { workers, ttlSeconds, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
    return this.setting;
  }

  /**
   * Puts back a saved override (after a controller restart); an expired one is dropped at the next
   * apply. One above today's `maxWorkers` (the config shrank since it was set) is clamped to it;
   * `clampedFrom` then says what was saved, for the log.
   */
  restore(setting: OverrideSetting): { setting: OverrideSetting; clampedFrom?: number } {
    const saved = Number.isInteger(setting.workers) && setting.workers >= 0 ? setting.workers : 0;
    const workers = Math.min(saved, this.maxWorkers);
    this.setting = { ...setting, workers, expiresAt: new Date(setting.expiresAt.getTime()) };
    return { setting: this.setting, ...(workers !== setting.workers ? { clampedFrom: setting.workers } : {}) };
  }

  clear(): void {
    this.setting = undefined;
  }

  /** The override in force at `now`, if any. */
  active(now: Date): OverrideSetting | undefined {
    const s = this.setting;
    return s !== undefined && now.getTime() < s.expiresAt.getTime() ? s : undefined;
  }

  apply(target: number, _current: FleetState, now: Date): { target: number; reason?: string } {
    const s = this.active(now);
    if (s === undefined) {
      if (this.setting !== undefined) {
        const expired = this.setting;
        this.setting = undefined;
        return { target, reason: `override of ${expired.workers} workers expired at ${expired.expiresAt.toISOString()}; policy decides again` };
      }
      return { target };
    }
    return {
      target: s.workers,
      reason: `override: ${s.workers} workers until ${s.expiresAt.toISOString()} (policy wanted ${target})`,
    };
  }
}
