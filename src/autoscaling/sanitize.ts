/**
 * Turns untrusted metrics into clean numbers. A field that is not a finite, non-negative,
 * plausible number is treated as missing and a note says so; nothing here throws.
 */
import type { ScalingMetrics } from './types.js';

/** Values above these are taken as corrupt (an overflowed counter, a unit mix-up), not as load. */
const PLAUSIBLE_MAX = {
  count: 1e9,
  ratePerMinute: 1e9,
  seconds: 1e7,
  percent: 1e5,
  dollars: 1e12,
} as const;

export interface CleanMetrics {
  queueDepth?: number;
  validationsPerMinute?: number;
  avgLatencySeconds?: number;
  activeWorkers?: number;
  cpuUsage?: number;
  memoryUsage?: number;
  aiProviderLatencySeconds?: number;
  currentCostPerHour?: number;
  arrivalsPerMinute?: number;
  readyWorkers?: number;
  inFlight?: number;
  oldestWaitSeconds?: number;
  serviceTimeCv?: number;
  timestamp?: Date;
}

export interface SanitizedMetrics {
  metrics: CleanMetrics;
  /** One note per field that was dropped, e.g. "queueDepth=NaN ignored (not a finite number >= 0)". */
  notes: string[];
  /** Names of the dropped fields. */
  missing: string[];
}

type NumericField = Exclude<keyof CleanMetrics, 'timestamp'>;

const FIELD_LIMITS: Record<NumericField, number> = {
  queueDepth: PLAUSIBLE_MAX.count,
  validationsPerMinute: PLAUSIBLE_MAX.ratePerMinute,
  avgLatencySeconds: PLAUSIBLE_MAX.seconds,
  activeWorkers: PLAUSIBLE_MAX.count,
  cpuUsage: PLAUSIBLE_MAX.percent,
  memoryUsage: PLAUSIBLE_MAX.percent,
  aiProviderLatencySeconds: PLAUSIBLE_MAX.seconds,
  currentCostPerHour: PLAUSIBLE_MAX.dollars,
  arrivalsPerMinute: PLAUSIBLE_MAX.ratePerMinute,
  readyWorkers: PLAUSIBLE_MAX.count,
  inFlight: PLAUSIBLE_MAX.count,
  oldestWaitSeconds: PLAUSIBLE_MAX.seconds,
  serviceTimeCv: 100,
};

/** Fields whose counts are whole numbers; fractional values are rounded (a gauge average is still usable). */
const INTEGER_FIELDS: ReadonlySet<NumericField> = new Set(['queueDepth', 'activeWorkers', 'readyWorkers', 'inFlight']);

export function describeValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  return typeof v;
}

export function sanitizeMetrics(input: Partial<ScalingMetrics> | null | undefined): SanitizedMetrics {
  const metrics: CleanMetrics = {};
  const notes: string[] = [];
  const missing: string[] = [];
  const source = (input ?? {}) as Record<string, unknown>;
  for (const field of Object.keys(FIELD_LIMITS) as NumericField[]) {
    const raw = source[field];
    if (raw === undefined) continue;
    const limit = FIELD_LIMITS[field];
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > limit) {
      missing.push(field);
      notes.push(`${field}=${describeValue(raw)} ignored (not a number in [0, ${limit}]); treated as missing`);
      continue;
    }
    metrics[field] = INTEGER_FIELDS.has(field) ? Math.round(raw) : raw;
  }
  const ts = source.timestamp;
  if (ts instanceof Date && Number.isFinite(ts.getTime())) metrics.timestamp = ts;
  else if (ts !== undefined) {
    missing.push('timestamp');
    notes.push(`timestamp=${describeValue(ts)} ignored (not a valid Date); using the engine clock`);
  }
  for (const field of ['queueDepth', 'validationsPerMinute', 'avgLatencySeconds', 'activeWorkers'] as const) {
    if (source[field] === undefined && !missing.includes(field)) {
      missing.push(field);
      notes.push(`${field} missing`);
    }
  }
  return { metrics, notes, missing };
}
