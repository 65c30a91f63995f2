/**
 * Workload traces: CSV `timestamp,count` per bin, any bin width. The bin width is the median
 * gap between consecutive rows; a larger gap is a hole (no arrivals), a smaller one shortens
 * that row's bin so bins never overlap.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../autoscaling/errors.js';
import { median } from './stats.js';

export interface Trace {
  /** File path or scenario name, for messages and reports. */
  source: string;
  /** Epoch milliseconds of the first bin's start: simulation time 0. */
  startMs: number;
  /** Detected bin width, seconds. */
  binSeconds: number;
  /** Each bin's start, milliseconds after `startMs`. */
  binStartMs: Float64Array;
  /** Each bin's length, milliseconds (the bin width, or less where the next row starts sooner). */
  binLengthMs: Float64Array;
  /** Arrivals per bin (may be fractional after scaling). */
  counts: Float64Array;
  /** End of the last bin, milliseconds after `startMs`: arrivals stop here. */
  endMs: number;
}

/** A malformed trace; the message names the file, the line and the offending value. */
export class TraceError extends UsageError {
  constructor(message: string) {
    super(message, { code: 'TRACE_INVALID' });
  }
}

/**
 * Most arrivals one bin may hold: far above any real trace (the shared ones peak below 10^6 per
 * bin before scaling), low enough that a typo such as 1e300 or a run-away value is caught.
 */
export const MAX_BIN_COUNT = 1_000_000_000;
/** Counts are plain decimals: digits with an optional fraction (no sign, exponent, hex, NaN or Infinity). */
const COUNT_RE = /^\d+(?:\.\d+)?$/;

const ISO_RE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const EPOCH_RE = /^\d+(?:\.\d+)?$/;

/** Parses an ISO-8601 time (UTC unless it carries an offset) or Unix epoch seconds; NaN if neither. */
export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (EPOCH_RE.test(t)) return Math.round(Number(t) * 1000);
  const m = ISO_RE.exec(t);
  if (!m) return Number.NaN;
  // Without a zone designator JavaScript would use the machine's zone; traces are UTC.
  const hasTime = /[T ]\d/.test(t);
  const iso = m[1] === undefined && hasTime ? `${t.replace(' ', 'T')}Z` : t.replace(' ', 'T');
  return Date.parse(iso);
}

export function loadTraceFile(path: string): Trace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TraceError(
      code === 'ENOENT' ? `trace file not found: ${path}` : `cannot read trace ${path}: ${(err as Error).message}`,
    );
  }
  return parseTraceCsv(text, path);
}

/** Parses `timestamp,count` rows; throws TraceError naming `source`, the line and the value. */
export function parseTraceCsv(text: string, source: string): Trace {
  const times: number[] = [];
  const counts: number[] = [];
  const lines = text.split(/\r?\n/);
  let sawContent = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    const lineNo = i + 1;
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',').map((f) => f.trim());
    if (!sawContent) {
      sawContent = true;
      const isHeader = (fields[0] ?? '').toLowerCase() === 'timestamp';
      if (isHeader || !Number.isFinite(parseTimestamp(fields[0] ?? ''))) {
        if (!isHeader || fields.length !== 2 || (fields[1] ?? '').toLowerCase() !== 'count') {
          throw new TraceError(`${source} line ${lineNo}: header must be "timestamp,count"; got "${line}"`);
        }
        continue;
      }
    }
    if (fields.length !== 2) {
      throw new TraceError(`${source} line ${lineNo}: expected 2 fields "timestamp,count"; got ${fields.length} in "${line}"`);
    }
    const t = parseTimestamp(fields[0] ?? '');
    if (!Number.isFinite(t)) {
      throw new TraceError(
        `${source} line ${lineNo}: bad timestamp "${fields[0] ?? ''}" (expected ISO 8601 like 2024-01-01T00:00:00Z, or Unix seconds)`,
      );
    }
    const c = parseCount(fields[1] ?? '', source, lineNo);
    const prev = times[times.length - 1];
    if (prev !== undefined && t <= prev) {
      throw new TraceError(
        `${source} line ${lineNo}: timestamp ${fields[0] ?? ''} is not after the previous row's (rows must be in increasing time order, without duplicates)`,
      );
    }
    times.push(t);
    counts.push(c);
  }
  if (times.length < 2) {
    throw new TraceError(`${source}: needs at least 2 data rows to detect the bin width; got ${times.length}`);
  }
  return buildTrace(source, times, counts);
}

/** A bin's count: a decimal in [0, MAX_BIN_COUNT]; throws TraceError naming the file, line and value. */
export function parseCount(raw: string, source: string, lineNo: number): number {
  const c = COUNT_RE.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(c)) {
    throw new TraceError(`${source} line ${lineNo}: bad count "${raw}" (expected a decimal number >= 0 such as 12 or 3.5)`);
  }
  if (c > MAX_BIN_COUNT) {
    throw new TraceError(`${source} line ${lineNo}: count "${raw}" is above the maximum of ${MAX_BIN_COUNT} arrivals per bin`);
  }
  return c;
}

/** Builds a Trace from absolute bin start times (epoch ms, increasing) and counts. */
export function buildTrace(source: string, timesMs: readonly number[], counts: readonly number[]): Trace {
  const n = timesMs.length;
  const gaps: number[] = [];
  for (let i = 1; i < n; i++) gaps.push((timesMs[i] ?? 0) - (timesMs[i - 1] ?? 0));
  const binMs = Math.round(median(gaps));
  if (!(binMs > 0)) throw new TraceError(`${source}: cannot detect a bin width from ${n} rows`);
  const startMs = timesMs[0] ?? 0;
  const binStartMs = new Float64Array(n);
  const binLengthMs = new Float64Array(n);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (timesMs[i] ?? 0) - startMs;
    const next = i + 1 < n ? (timesMs[i + 1] ?? 0) - startMs : Infinity;
    binStartMs[i] = t;
    binLengthMs[i] = Math.min(binMs, next - t);
    c[i] = counts[i] ?? 0;
  }
  const last = n - 1;
  return {
    source, startMs, binSeconds: binMs / 1000, binStartMs, binLengthMs, counts: c,
    endMs: (binStartMs[last] ?? 0) + (binLengthMs[last] ?? 0),
  };
}

/** Total arrivals in the trace. */
export function traceTotal(trace: Trace): number {
  let s = 0;
  for (const c of trace.counts) s += c;
  return s;
}

/**
 * Arrivals in the busiest clock hour (UTC hours [hh:00, hh+1:00)); a bin that straddles hours
 * contributes in proportion to its overlap with each.
 */
export function busiestHourCount(trace: Trace): number {
  const hourMs = 3_600_000;
  const perHour = new Map<number, number>();
  for (let i = 0; i < trace.counts.length; i++) {
    const count = trace.counts[i] ?? 0;
    if (count === 0) continue;
    const len = trace.binLengthMs[i] ?? 0;
    const s = trace.startMs + (trace.binStartMs[i] ?? 0);
    const e = s + len;
    for (let h = Math.floor(s / hourMs); h * hourMs < e; h++) {
      const overlap = Math.min(e, (h + 1) * hourMs) - Math.max(s, h * hourMs);
      if (overlap > 0) perHour.set(h, (perHour.get(h) ?? 0) + (count * overlap) / len);
    }
  }
  let best = 0;
  for (const v of perHour.values()) best = Math.max(best, v);
  return best;
}

/** Highest arrival rate of any single bin, per second. */
export function peakBinRatePerSecond(trace: Trace): number {
  let best = 0;
  for (let i = 0; i < trace.counts.length; i++) {
    const len = trace.binLengthMs[i] ?? 0;
    if (len > 0) best = Math.max(best, ((trace.counts[i] ?? 0) * 1000) / len);
  }
  return best;
}
