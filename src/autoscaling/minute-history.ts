/**
 * The observed rate per UTC minute over the last week: a fixed ring (memory independent of the
 * number of samples or of historySize), filled from the intervals the seasonal model credits
 * each sample's rate to. The forecast ensemble reads it for moving averages, seasonal-naive
 * forecasts (the same minutes a day or a week earlier) and for scoring its members' forecasts
 * once their windows have been observed. A minute with no data is NaN (null in JSON).
 */

const MINUTE_MS = 60_000;
/** One week of minutes plus one, so that "a week before the latest minute" is still kept. */
export const HISTORY_MINUTES = 7 * 1440 + 1;

export interface MinuteHistoryState {
  /** Mean rate of each closed minute (index: epoch minute mod HISTORY_MINUTES); NaN = no data. */
  means: Float64Array;
  /** Epoch minute still being filled; null before any data. */
  openMinute: number | null;
  /** Σ rate × minutes and minutes credited to the open minute. */
  openSum: number;
  openMinutes: number;
}

export function emptyHistoryState(): MinuteHistoryState {
  return { means: new Float64Array(HISTORY_MINUTES).fill(Number.NaN), openMinute: null, openSum: 0, openMinutes: 0 };
}

export interface WindowMean {
  /** Coverage-weighted mean rate (0 when nothing is covered). */
  mean: number;
  /** Minutes of the window with data. */
  covered: number;
}

/** The minutes a `credit` call completed (its interval reached their end): the first, how many, Σ of their means. */
export interface CompletedMinutes {
  first: number;
  count: number;
  sum: number;
}

export class MinuteHistory {
  constructor(readonly state: MinuteHistoryState = emptyHistoryState()) {}

  /**
   * Credits `rate` to [startMs, endMs) (intervals arrive in time order: the model guarantees it)
   * and adds the minutes this completes to `done`.
   */
  credit(startMs: number, endMs: number, rate: number, done: CompletedMinutes): void {
    let at = startMs;
    while (at < endMs) {
      const minute = Math.floor(at / MINUTE_MS);
      const chunkEnd = Math.min(endMs, (minute + 1) * MINUTE_MS);
      this.moveTo(minute);
      const minutes = (chunkEnd - at) / MINUTE_MS;
      const s = this.state;
      s.openSum += rate * minutes;
      s.openMinutes += minutes;
      if (chunkEnd === (minute + 1) * MINUTE_MS) {
        if (done.count === 0) done.first = minute;
        done.count += 1;
        done.sum += s.openSum / s.openMinutes;
      }
      at = chunkEnd;
    }
  }

  /** Closes the open minute and every minute before `minute` (those without data become NaN). */
  private moveTo(minute: number): void {
    const s = this.state;
    if (s.openMinute === null) {
      s.openMinute = minute;
      return;
    }
    if (minute <= s.openMinute) return;
    s.means[mod(s.openMinute)] = s.openMinutes > 0 ? s.openSum / s.openMinutes : Number.NaN;
    const skipped = Math.min(minute - s.openMinute - 1, HISTORY_MINUTES);
    for (let i = 1; i <= skipped; i++) s.means[mod(s.openMinute + i)] = Number.NaN;
    s.openMinute = minute;
    s.openSum = 0;
    s.openMinutes = 0;
  }

  /** Mean rate of one epoch minute, NaN when unknown (not observed, in the future or forgotten). */
  minuteMean(minute: number): number {
    const s = this.state;
    if (s.openMinute === null || minute > s.openMinute || minute <= s.openMinute - HISTORY_MINUTES) return Number.NaN;
    if (minute === s.openMinute) return s.openMinutes > 0 ? s.openSum / s.openMinutes : Number.NaN;
    return s.means[mod(minute)] ?? Number.NaN;
  }

  /** Coverage-weighted mean over [startMs, endMs), each minute weighted by its overlap with the window; written into `out`. */
  windowMean(startMs: number, endMs: number, out: WindowMean): WindowMean {
    let sum = 0;
    let covered = 0;
    const first = Math.floor(startMs / MINUTE_MS);
    const last = Math.ceil(endMs / MINUTE_MS) - 1;
    for (let m = Math.max(first, last - HISTORY_MINUTES); m <= last; m++) {
      const v = this.minuteMean(m);
      if (Number.isNaN(v)) continue;
      const overlap = (Math.min(endMs, (m + 1) * MINUTE_MS) - Math.max(startMs, m * MINUTE_MS)) / MINUTE_MS;
      if (overlap <= 0) continue;
      sum += v * overlap;
      covered += overlap;
    }
    out.mean = covered > 0 ? sum / covered : 0;
    out.covered = covered;
    return out;
  }
}

function mod(minute: number): number {
  return ((minute % HISTORY_MINUTES) + HISTORY_MINUTES) % HISTORY_MINUTES;
}
