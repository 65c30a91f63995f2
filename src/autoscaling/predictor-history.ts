/**
 * The predictor's JSON format (version 3): the whole learned state, and a validator that names the
 * offending field. Typed arrays are written as plain number arrays; JSON numbers round-trip doubles
 * exactly, so an imported predictor forecasts exactly what the exported one does. Version 3 added
 * the forecast ensemble (`ensemble`, see forecast-ensemble-history.ts); a version-1 or -2 document
 * restores the seasonal model and starts a fresh ensemble, which forecasts with the seasonal model
 * alone until its members have been scored.
 *
 * Version 1 (before profile slots remembered when they were last observed, and before level-shift
 * detection) is still read: its slots count as observed in earlier periods and the shift detector
 * starts from the level, so it forecasts as version 2 would after a day of new samples, not exactly
 * as the version-1 predictor did.
 */
import { BountybotError } from './errors.js';
import type { ErrorTrackerState, PendingForecast } from './forecast-error-tracker.js';
import { DAY_SLOTS, WEEK_SLOTS } from './local-slots.js';
import { NOISE_RING } from './level-shift.js';
import { INTERVAL_RING, type SeasonalModelState } from './seasonal-model.js';
import { NEVER_OBSERVED, type ProfileState } from './seasonal-profile.js';

export const HISTORY_FORMAT_VERSION = 3;
/** Versions importHistory reads. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2, 3];

/** A kept sample with garbage fields already replaced by null. */
export interface KeptSample {
  t: number;
  rate: number | null;
  queueDepth: number | null;
  latency: number | null;
  workers: number | null;
  cpu: number | null;
  memory: number | null;
}

export interface LastReadings {
  rate: number | null;
  queueDepth: number | null;
  latency: number | null;
  workers: number | null;
}

export interface PredictorSnapshot {
  historySize: number;
  timezone: string;
  knobs: Record<string, number>;
  model: SeasonalModelState;
  tracker: ErrorTrackerState;
  last: LastReadings;
  samples: KeptSample[];
  /** The ensemble as JSON-ready data (written), or the raw object read (absent before version 3). */
  ensemble?: Record<string, unknown>;
}

/** Thrown by `importHistory` for JSON that is not a valid predictor export. */
export class HistoryFormatError extends BountybotError {
  constructor(message: string) {
    super('HISTORY_FORMAT_INVALID', message);
  }
}

type Row = (number | null)[];

function profileJson(p: ProfileState): Record<string, unknown> {
  return {
    value: Array.from(p.value), weight: Array.from(p.weight), variance: Array.from(p.variance),
    prevValue: Array.from(p.prevValue), prevWeight: Array.from(p.prevWeight), prevVariance: Array.from(p.prevVariance),
    lastStartMs: Array.from(p.lastStartMs),
    pooledVariance: p.pooledVariance, pooledWeight: p.pooledWeight,
  };
}

export function serializeSnapshot(s: PredictorSnapshot): string {
  const m = s.model;
  return JSON.stringify({
    version: HISTORY_FORMAT_VERSION,
    historySize: s.historySize,
    timezone: s.timezone,
    knobs: s.knobs,
    model: {
      ...m,
      week: profileJson(m.week),
      day: profileJson(m.day),
    },
    tracker: s.tracker,
    last: s.last,
    // Compact rows: [t, rate, queueDepth, latency, workers, cpu, memory].
    samples: s.samples.map((k): Row => [k.t, k.rate, k.queueDepth, k.latency, k.workers, k.cpu, k.memory]),
    ensemble: s.ensemble,
  });
}

export function fail(field: string, expected: string, got: unknown): never {
  let shown: string;
  try {
    shown = JSON.stringify(got) ?? String(got);
  } catch {
    shown = String(got);
  }
  if (shown.length > 60) shown = `${shown.slice(0, 57)}...`;
  throw new HistoryFormatError(`importHistory: field "${field}" must be ${expected}, got ${shown}`);
}

export function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'an object', v);
  return v as Record<string, unknown>;
}

export function num(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, 'a finite number', v);
  return v;
}

export function nonNeg(v: unknown, field: string): number {
  const n = num(v, field);
  if (n < 0) fail(field, 'a number >= 0', v);
  return n;
}

export function numOrNull(v: unknown, field: string): number | null {
  return v === null ? null : num(v, field);
}

export function numbers(v: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(v) || (length !== undefined && v.length !== length)) {
    fail(field, length === undefined ? 'an array of numbers' : `an array of ${length} numbers`, v);
  }
  return v.map((x, i) => num(x, `${field}[${i}]`));
}

function parseProfile(v: unknown, field: string, slots: number, version: number): ProfileState {
  const p = obj(v, field);
  const nonNegArray = (key: string): Float64Array => {
    const arr = numbers(p[key], `${field}.${key}`, slots);
    arr.forEach((x, i) => { if (x < 0) fail(`${field}.${key}[${i}]`, 'a number >= 0', x); });
    return Float64Array.from(arr);
  };
  const value = Float64Array.from(numbers(p.value, `${field}.value`, slots));
  const weight = nonNegArray('weight');
  const variance = nonNegArray('variance');
  const v1 = version === 1;
  return {
    value, weight, variance,
    prevValue: v1 ? value.slice() : Float64Array.from(numbers(p.prevValue, `${field}.prevValue`, slots)),
    prevWeight: v1 ? weight.slice() : nonNegArray('prevWeight'),
    prevVariance: v1 ? variance.slice() : nonNegArray('prevVariance'),
    lastStartMs: v1 ? new Float64Array(slots).fill(NEVER_OBSERVED) : Float64Array.from(numbers(p.lastStartMs, `${field}.lastStartMs`, slots)),
    pooledVariance: nonNeg(p.pooledVariance, `${field}.pooledVariance`),
    pooledWeight: nonNeg(p.pooledWeight, `${field}.pooledWeight`),
  };
}

function parseModel(v: unknown, version: number): SeasonalModelState {
  const m = obj(v, 'model');
  const intervals = numbers(m.recentIntervals, 'model.recentIntervals');
  intervals.forEach((x, i) => { if (x <= 0) fail(`model.recentIntervals[${i}]`, 'a number > 0', x); });
  const level = num(m.level, 'model.level');
  const v1 = version === 1;
  const diffs = v1 ? [] : numbers(m.recentDiffs, 'model.recentDiffs');
  diffs.forEach((x, i) => { if (x < 0) fail(`model.recentDiffs[${i}]`, 'a number >= 0', x); });
  return {
    lastMs: numOrNull(m.lastMs, 'model.lastMs'),
    week: parseProfile(m.week, 'model.week', WEEK_SLOTS, version),
    day: parseProfile(m.day, 'model.day', DAY_SLOTS, version),
    slotStartMs: numOrNull(m.slotStartMs, 'model.slotStartMs'),
    slotSum: nonNeg(m.slotSum, 'model.slotSum'),
    slotMinutes: nonNeg(m.slotMinutes, 'model.slotMinutes'),
    mean: num(m.mean, 'model.mean'), meanWeight: nonNeg(m.meanWeight, 'model.meanWeight'),
    level, drift: num(m.drift, 'model.drift'), slope: num(m.slope, 'model.slope'),
    levelWeight: nonNeg(m.levelWeight, 'model.levelWeight'),
    fast: v1 ? level : num(m.fast, 'model.fast'),
    fastVariance: v1 ? 0 : nonNeg(m.fastVariance, 'model.fastVariance'),
    recentDiffs: diffs.slice(-NOISE_RING),
    lastResidual: v1 ? level : num(m.lastResidual, 'model.lastResidual'),
    rawLevel: num(m.rawLevel, 'model.rawLevel'), rawSlope: num(m.rawSlope, 'model.rawSlope'),
    rawWeight: nonNeg(m.rawWeight, 'model.rawWeight'),
    recentIntervals: intervals.slice(-INTERVAL_RING),
  };
}

function parseTracker(v: unknown): ErrorTrackerState {
  const t = obj(v, 'tracker');
  if (!Array.isArray(t.pending)) fail('tracker.pending', 'an array', t.pending);
  const pending = t.pending.map((p, i): PendingForecast => {
    const f = `tracker.pending[${i}]`;
    const o = obj(p, f);
    return {
      startMs: num(o.startMs, `${f}.startMs`), endMs: num(o.endMs, `${f}.endMs`),
      predicted: nonNeg(o.predicted, `${f}.predicted`),
      observedSum: nonNeg(o.observedSum, `${f}.observedSum`), observedMinutes: nonNeg(o.observedMinutes, `${f}.observedMinutes`),
    };
  });
  const error = nonNeg(t.error, 'tracker.error');
  if (error > 1) fail('tracker.error', 'a number in [0, 1]', error);
  return {
    pending: pending.slice(0, 32),
    lastIssuedMs: numOrNull(t.lastIssuedMs, 'tracker.lastIssuedMs'),
    error,
    scored: nonNeg(t.scored, 'tracker.scored'),
  };
}

function parseSample(v: unknown, i: number): KeptSample {
  const f = `samples[${i}]`;
  if (!Array.isArray(v) || v.length !== 7) fail(f, 'an array [t, rate, queueDepth, latency, workers, cpu, memory]', v);
  const opt = (x: unknown, name: string): number | null => (x === null ? null : nonNeg(x, `${f}.${name}`));
  return {
    t: num(v[0], `${f}.t`), rate: opt(v[1], 'rate'), queueDepth: opt(v[2], 'queueDepth'), latency: opt(v[3], 'latency'),
    workers: opt(v[4], 'workers'), cpu: opt(v[5], 'cpu'), memory: opt(v[6], 'memory'),
  };
}

/** Parses and validates an export; throws HistoryFormatError naming the first bad field. */
export function parseSnapshot(json: string): PredictorSnapshot {
  if (typeof json !== 'string') fail('(document)', 'a JSON string', json);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new HistoryFormatError(`importHistory: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const root = obj(raw, '(document)');
  if (!READABLE_VERSIONS.includes(root.version)) fail('version', READABLE_VERSIONS.join(' or '), root.version);
  const version = root.version as number;
  const historySize = num(root.historySize, 'historySize');
  if (!Number.isInteger(historySize) || historySize < 1) fail('historySize', 'an integer >= 1', historySize);
  if (typeof root.timezone !== 'string' || root.timezone === '') fail('timezone', 'a time zone name', root.timezone);
  const knobsIn = obj(root.knobs, 'knobs');
  const knobs: Record<string, number> = {};
  for (const [key, value] of Object.entries(knobsIn)) knobs[key] = num(value, `knobs.${key}`);
  const last = obj(root.last, 'last');
  if (!Array.isArray(root.samples)) fail('samples', 'an array', root.samples);
  return {
    historySize,
    timezone: root.timezone,
    knobs,
    model: parseModel(root.model, version),
    tracker: parseTracker(root.tracker),
    last: {
      rate: numOrNull(last.rate, 'last.rate'), queueDepth: numOrNull(last.queueDepth, 'last.queueDepth'),
      latency: numOrNull(last.latency, 'last.latency'), workers: numOrNull(last.workers, 'last.workers'),
    },
    samples: root.samples.map(parseSample),
    ...(version >= 3 ? { ensemble: obj(root.ensemble, 'ensemble') } : {}),
  };
}
