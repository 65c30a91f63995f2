/**
 * Plausibility of sample timestamps. One sample dated years ahead (a bad clock, a unit mix-up)
 * must not become "now": adopted, it would put every later sample in the past and stretch a
 * cooldown over years. A timestamp is implausible when it is more than `toleranceMs` ahead of
 * every reference (the clock, when there is one, and the latest accepted timestamp), or more
 * than `toleranceMs` behind the latest accepted one (time does not run backwards by days).
 *
 * Without a clock (the predictor) a real jump, such as a restart after a week offline, must not
 * be refused forever: `confirmations` consecutive samples that agree with each other (each within
 * the tolerance of the one before, none older) establish the new time line.
 */

/** The engine's tolerance: a day ahead of both its clock and the latest accepted timestamp. */
export const ENGINE_TIMESTAMP_TOLERANCE_MS = 24 * 3_600_000;
/** The predictor's tolerance: a week ahead of its latest sample (it has no clock). */
export const PREDICTOR_TIMESTAMP_TOLERANCE_MS = 7 * 24 * 3_600_000;
/** Consecutive agreeing samples that confirm a jump (predictor only). */
export const JUMP_CONFIRMATIONS = 3;

const iso = (ms: number): string => (Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms));

export type TimestampVerdict = { ok: true } | { ok: false; reason: string };
const OK: TimestampVerdict = Object.freeze({ ok: true });

export class TimestampGuard {
  private latestMs: number | null = null;
  private candidates: number[] = [];

  constructor(private readonly toleranceMs: number, private readonly confirmations = Infinity) {}

  /** Latest accepted timestamp (ms), if any. */
  get latest(): number | null {
    return this.latestMs;
  }

  /** Forgets the latest timestamp, e.g. after restoring state from elsewhere. */
  reset(latestMs: number | null): void {
    this.latestMs = latestMs;
    this.candidates = [];
  }

  /** Whether to adopt `ms`; an accepted timestamp becomes the latest. `clockMs` is a second reference. */
  check(ms: number, clockMs?: number): TimestampVerdict {
    const clock = clockMs !== undefined && Number.isFinite(clockMs) ? clockMs : null;
    const latest = this.latestMs;
    const newest = latest === null ? clock : clock === null ? latest : Math.max(latest, clock);
    if (newest === null || (ms <= newest + this.toleranceMs && (latest === null || ms >= latest - this.toleranceMs))) {
      this.adopt(ms);
      return OK;
    }
    const tolerance = `tolerance ${(this.toleranceMs / 3_600_000).toFixed(0)} h`;
    if (latest !== null && ms < latest - this.toleranceMs) {
      return { ok: false, reason: `${iso(ms)} is ${((latest - ms) / 3_600_000).toFixed(0)} h behind the latest sample (${tolerance})` };
    }
    const previous = this.candidates[this.candidates.length - 1];
    if (previous !== undefined && ms >= previous && ms <= previous + this.toleranceMs) this.candidates.push(ms);
    else this.candidates = [ms];
    if (this.candidates.length >= this.confirmations) {
      this.adopt(ms);
      return OK;
    }
    const against = clock === null ? 'the latest sample' : 'the clock and the latest sample';
    return { ok: false, reason: `${iso(ms)} is ${((ms - newest) / 3_600_000).toFixed(0)} h ahead of ${against} (${tolerance})` };
  }

  private adopt(ms: number): void {
    if (this.latestMs === null || ms > this.latestMs) this.latestMs = ms;
    if (this.candidates.length > 0) this.candidates = [];
  }
}
