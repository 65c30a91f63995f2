/**
 * `bountybot replay`: the arrivals a queue has seen, as a trace (`timestamp,count` per bin) for
 * `simulate` and `tune`. Reads any JobHistory (the SQLite queue today; a Redis backend
 * implements the same port). Only whole bins are written, so a replay never ends on a bin that
 * was still filling.
 */
import type { JobHistory } from '../control/ports.js';
import { buildTrace, type Trace } from './trace.js';

export interface ReplayRange {
  /** Epoch ms; floored to a whole bin. */
  fromMs: number;
  /** Epoch ms; floored to a whole bin (the bin containing `toMs` is left out). */
  toMs: number;
  binMs: number;
}

export interface ReplayResult {
  startMs: number;
  binMs: number;
  counts: number[];
}

/** Bins aligned to the epoch, so two replays of one database line up. */
export function alignRange(r: ReplayRange): { fromMs: number; toMs: number } {
  return { fromMs: Math.floor(r.fromMs / r.binMs) * r.binMs, toMs: Math.floor(r.toMs / r.binMs) * r.binMs };
}

export async function replayArrivals(history: JobHistory, r: ReplayRange): Promise<ReplayResult> {
  if (!(Number.isFinite(r.binMs) && r.binMs >= 1000 && Number.isInteger(r.binMs))) {
    throw new RangeError(`bin must be a whole number of seconds >= 1; got ${r.binMs / 1000} s`);
  }
  const { fromMs, toMs } = alignRange(r);
  if (toMs - fromMs < 2 * r.binMs) {
    throw new RangeError(`a replay needs at least 2 whole bins of ${r.binMs / 1000} s; the range ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()} has ${Math.max(0, (toMs - fromMs) / r.binMs)}`);
  }
  const counts = await history.arrivalCounts(new Date(fromMs), new Date(toMs), r.binMs);
  return { startMs: fromMs, binMs: r.binMs, counts };
}

/** The trace `parseTraceCsv` would read from `formatTraceCsv` of the same result. */
export function replayTrace(source: string, r: ReplayResult): Trace {
  return buildTrace(source, r.counts.map((_, i) => r.startMs + i * r.binMs), r.counts);
}

export function formatTraceCsv(r: ReplayResult): string {
  const lines = ['timestamp,count'];
  for (let i = 0; i < r.counts.length; i++) lines.push(`${new Date(r.startMs + i * r.binMs).toISOString()},${r.counts[i] ?? 0}`);
  return `${lines.join('\n')}\n`;
}
