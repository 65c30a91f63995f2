/**
 * The forecast ensemble's part of the predictor's JSON export (version 3): to JSON-ready data and
 * back, validated field by field (errors name the field, like predictor-history.ts). NaN (a
 * minute without data, a member that could not forecast) is written as null. The minute history
 * is written oldest first from the first minute with data, so a young predictor's export stays small.
 */
import { BUCKET_MINUTES, maxPending, type BucketState, type EnsembleState } from './forecast-ensemble.js';
import { LEVEL_COUNT, MEMBER_COUNT, type MembersState } from './forecast-members.js';
import type { VariogramState } from './forecast-prior.js';
import { HISTORY_MINUTES, emptyHistoryState, type MinuteHistoryState } from './minute-history.js';
import { fail, nonNeg, num, numOrNull, numbers, obj } from './predictor-history.js';

const nanToNull = (v: number): number | null => (Number.isNaN(v) ? null : v);
const mod = (minute: number): number => ((minute % HISTORY_MINUTES) + HISTORY_MINUTES) % HISTORY_MINUTES;

export function ensembleJson(s: EnsembleState): Record<string, unknown> {
  const h = s.history;
  const means: (number | null)[] = [];
  let firstMinute: number | null = null;
  if (h.openMinute !== null) {
    for (let m = h.openMinute - HISTORY_MINUTES + 1; m < h.openMinute; m++) {
      const v = h.means[mod(m)] ?? Number.NaN;
      if (firstMinute === null && Number.isNaN(v)) continue;
      if (firstMinute === null) firstMinute = m;
      means.push(nanToNull(v));
    }
  }
  return {
    history: { firstMinute, means, openMinute: h.openMinute, openSum: h.openSum, openMinutes: h.openMinutes },
    members: s.members,
    buckets: s.buckets.map((b) => ({ ...b, pendingForecasts: b.pendingForecasts.map((f) => f.map(nanToNull)) })),
    variogram: s.variogram,
  };
}

function numbersOrNull(v: unknown, field: string, length?: number): number[] {
  if (!Array.isArray(v) || (length !== undefined && v.length !== length)) {
    fail(field, length === undefined ? 'an array of numbers or nulls' : `an array of ${length} numbers or nulls`, v);
  }
  return v.map((x, i) => (x === null ? Number.NaN : num(x, `${field}[${i}]`)));
}

function nonNegNumbers(v: unknown, field: string, length: number): number[] {
  const out = numbers(v, field, length);
  out.forEach((x, i) => { if (x < 0) fail(`${field}[${i}]`, 'a number >= 0', x); });
  return out;
}

function parseHistory(v: unknown): MinuteHistoryState {
  const h = obj(v, 'ensemble.history');
  const state = emptyHistoryState();
  state.openMinute = numOrNull(h.openMinute, 'ensemble.history.openMinute');
  state.openSum = nonNeg(h.openSum, 'ensemble.history.openSum');
  state.openMinutes = nonNeg(h.openMinutes, 'ensemble.history.openMinutes');
  const first = numOrNull(h.firstMinute, 'ensemble.history.firstMinute');
  const means = numbersOrNull(h.means, 'ensemble.history.means');
  if (means.length > 0 && (first === null || state.openMinute === null)) {
    fail('ensemble.history.firstMinute', 'a minute when means are given', h.firstMinute);
  }
  if (first !== null && state.openMinute !== null) {
    if (first < state.openMinute - HISTORY_MINUTES + 1 || first + means.length > state.openMinute) {
      fail('ensemble.history.means', `minutes within the week before openMinute (${state.openMinute})`, `${means.length} from ${first}`);
    }
    means.forEach((x, i) => {
      if (x < 0) fail(`ensemble.history.means[${i}]`, 'a number >= 0 or null', x);
      state.means[mod(first + i)] = x;
    });
  }
  return state;
}

function parseMembers(v: unknown): MembersState {
  const m = obj(v, 'ensemble.members');
  const f = (key: string): string => `ensemble.members.${key}`;
  const lastResidual = m.lastResidual === null ? null : num(m.lastResidual, f('lastResidual'));
  return {
    lastResidualRate: m.lastResidualRate === null ? null : num(m.lastResidualRate, f('lastResidualRate')),
    levels: numbers(m.levels, f('levels'), LEVEL_COUNT),
    levelMinutes: nonNeg(m.levelMinutes, f('levelMinutes')),
    adaptive: num(m.adaptive, f('adaptive')),
    adaptiveSteps: nonNeg(m.adaptiveSteps, f('adaptiveSteps')),
    diffVariance: nonNeg(m.diffVariance, f('diffVariance')),
    diffCovariance: num(m.diffCovariance, f('diffCovariance')),
    lastDiff: num(m.lastDiff, f('lastDiff')),
    lastResidual,
  };
}

function parseBucket(v: unknown, b: number): BucketState {
  const field = `ensemble.buckets[${b}]`;
  const o = obj(v, field);
  const starts = numbers(o.pendingStartMs, `${field}.pendingStartMs`);
  if (!Array.isArray(o.pendingForecasts) || o.pendingForecasts.length !== starts.length) {
    fail(`${field}.pendingForecasts`, `an array of ${starts.length} forecast lists (one per pendingStartMs)`, o.pendingForecasts);
  }
  const limit = maxPending(BUCKET_MINUTES[b] ?? 1);
  if (starts.length > limit) fail(`${field}.pendingStartMs`, `at most ${limit} pending windows`, starts.length);
  return {
    pendingStartMs: starts,
    pendingForecasts: o.pendingForecasts.map((p, i) => numbersOrNull(p, `${field}.pendingForecasts[${i}]`, MEMBER_COUNT)),
    lastIssuedMs: numOrNull(o.lastIssuedMs, `${field}.lastIssuedMs`),
    error: nonNegNumbers(o.error, `${field}.error`, MEMBER_COUNT),
    paired: nonNegNumbers(o.paired, `${field}.paired`, MEMBER_COUNT),
    scores: nonNegNumbers(o.scores, `${field}.scores`, MEMBER_COUNT),
  };
}

function parseVariogram(v: unknown): VariogramState {
  const o = obj(v, 'ensemble.variogram');
  const n = BUCKET_MINUTES.length;
  return {
    minute: numOrNull(o.minute, 'ensemble.variogram.minute'),
    lag1: nonNeg(o.lag1, 'ensemble.variogram.lag1'),
    lag1Count: nonNeg(o.lag1Count, 'ensemble.variogram.lag1Count'),
    lagW: nonNegNumbers(o.lagW, 'ensemble.variogram.lagW', n),
    lagWCount: nonNegNumbers(o.lagWCount, 'ensemble.variogram.lagWCount', n),
  };
}

/** Validates the `ensemble` object of a version-3 export; throws HistoryFormatError naming the field. */
export function parseEnsembleState(v: Record<string, unknown>): EnsembleState {
  if (!Array.isArray(v.buckets) || v.buckets.length !== BUCKET_MINUTES.length) {
    fail('ensemble.buckets', `an array of ${BUCKET_MINUTES.length} buckets`, v.buckets);
  }
  return {
    history: parseHistory(v.history),
    members: parseMembers(v.members),
    buckets: v.buckets.map(parseBucket),
    variogram: parseVariogram(v.variogram),
  };
}
