/**
 * Builders for the fields of the settings schemas (zod). Each field carries its rule, its bounds
 * and its error messages, so a setting is declared once: its line in the schema.
 *
 * Messages name the bound that was crossed ("must be an integer >= 1", "must be an integer <=
 * 10000") and the whole rule otherwise ("must be an integer in [1, 10000]" for a string, a
 * fraction, NaN). Every check aborts, so a section's cross-field checks run only on valid values.
 */
import { z } from 'zod';

export interface RangeSpec {
  min: number;
  max: number;
  /** The minimum itself is not allowed (e.g. "> 0"). */
  minExclusive?: boolean;
  /** The maximum itself is not allowed (e.g. "< 1"). */
  maxExclusive?: boolean;
  integer?: boolean;
}

/** A bound as people write it: 1e9 rather than 1000000000, 86400 as is. */
export function formatBound(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) >= 1e6) return v.toExponential().replace('e+', 'e');
  return String(v);
}

function inRange(s: RangeSpec, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (s.integer === true && !Number.isInteger(v)) return false;
  if (s.minExclusive === true ? v <= s.min : v < s.min) return false;
  return s.maxExclusive === true ? v < s.max : v <= s.max;
}

/** "must be …" for `input`: the bound it crossed when it is a number on one side, else the whole rule. */
export function rangeMessage(s: RangeSpec, input: unknown): string {
  const noun = s.integer === true ? 'an integer' : 'a number';
  const isNumber = typeof input === 'number' && !Number.isNaN(input);
  const integerOk = s.integer !== true || !Number.isFinite(input) || Number.isInteger(input);
  if (isNumber && integerOk && (s.minExclusive === true ? input <= s.min : input < s.min)) {
    return `must be ${noun} ${s.minExclusive === true ? '>' : '>='} ${formatBound(s.min)}`;
  }
  if (isNumber && integerOk && (s.maxExclusive === true ? input >= s.max : input > s.max)) {
    return `must be ${noun} ${s.maxExclusive === true ? '<' : '<='} ${formatBound(s.max)}`;
  }
  const open = s.minExclusive === true ? '(' : '[';
  const close = s.maxExclusive === true ? ')' : ']';
  return `must be ${noun} in ${open}${formatBound(s.min)}, ${formatBound(s.max)}${close}`;
}

/** A number within `spec`; NaN and ±Infinity never pass. */
export function ranged(spec: RangeSpec) {
  const error = (iss: { input?: unknown }): string => rangeMessage(spec, iss.input);
  return z.number({ error }).refine((v) => inRange(spec, v), { error, abort: true });
}

/** An integer count in [min, max]. */
export const count = (min: number, max: number) => ranged({ min, max, integer: true });
/** A number in (0, max]. */
export const positive = (max: number) => ranged({ min: 0, max, minExclusive: true });
/** A number in [0, max]. */
export const nonNegative = (max: number) => ranged({ min: 0, max });

export const boolean = () => z.boolean({ error: 'must be true or false' });

/** A string with something in it, at most `maxLength` characters. */
export function text(maxLength: number, rule = 'a non-empty string') {
  const error = `must be ${rule}`;
  return z.string({ error })
    .refine((s) => s.trim().length > 0, { error, abort: true })
    .refine((s) => s.length <= maxLength, { error: `must be at most ${maxLength} characters`, abort: true });
}

const TIMEZONE_RULE = 'must be an IANA time zone such as "UTC" or "Europe/Paris"';

export function isTimezone(tz: string): boolean {
  if (tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timezone = () => z.string({ error: TIMEZONE_RULE }).refine(isTimezone, { error: TIMEZONE_RULE, abort: true });

/** A mapping with exactly these keys (unknown keys are reported by parseSettings with a suggestion). */
export function section<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (iss) => (iss.input === undefined ? 'is missing (required)' : 'must be a mapping of keys'),
  });
}

/**
 * A reference to another setting inside a message, e.g. `must be <= ${ref('maxWorkers')} (10)`;
 * parseSettings replaces it with that setting's name as the input spells it
 * (`autoscaling.max_workers` in the YAML file, `maxWorkers` for the engine). The path is relative
 * to the object that holds the setting the issue is about (a sibling, or a path below it).
 */
export function ref(path: string): string {
  return `{{${path}}}`;
}
