/**
 * Numeric command-line options: decimal notation only (no hex, exponents, NaN or Infinity), with a
 * declared range, parsed by commander itself (`argParser`) so a bad value stops the command before
 * it starts, with one line naming the option and the value.
 */
import { InvalidArgumentError } from 'commander';

export interface DecimalRange {
  /** Lowest accepted value (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Highest accepted value (inclusive unless `maxExclusive`). */
  max?: number;
  maxExclusive?: boolean;
  /** Whole numbers only. */
  integer?: boolean;
}

const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The rule in words, e.g. "a decimal number in (0, 1]" or "an integer >= 1". */
export function describeRange(r: DecimalRange): string {
  const kind = r.integer === true ? 'an integer' : 'a decimal number';
  const lo = r.min;
  const hi = r.max;
  if (lo !== undefined && hi !== undefined) {
    return `${kind} in ${r.minExclusive === true ? '(' : '['}${lo}, ${hi}${r.maxExclusive === true ? ')' : ']'}`;
  }
  if (lo !== undefined) return `${kind} ${r.minExclusive === true ? '>' : '>='} ${lo}`;
  if (hi !== undefined) return `${kind} ${r.maxExclusive === true ? '<' : '<='} ${hi}`;
  return kind;
}

/** Parses `raw` as a decimal within `r`; undefined when it is not one. */
export function parseDecimal(raw: string, r: DecimalRange = {}): number | undefined {
  const text = raw.trim();
  if (!DECIMAL_RE.test(text)) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v)) return undefined;
  if (r.integer === true && !Number.isSafeInteger(v)) return undefined;
  if (r.min !== undefined && (r.minExclusive === true ? v <= r.min : v < r.min)) return undefined;
  if (r.max !== undefined && (r.maxExclusive === true ? v >= r.max : v > r.max)) return undefined;
  return v;
}

/**
 * A commander `argParser` for option `name` (e.g. "--slo-target"): returns the number or throws
 * InvalidArgumentError "--slo-target must be a decimal number in (0, 1]; got "1.5"".
 */
export function decimalOption(name: string, r: DecimalRange = {}): (raw: string) => number {
  return (raw: string): number => {
    const v = parseDecimal(raw, r);
    if (v === undefined) throw new InvalidArgumentError(`${name} must be ${describeRange(r)}; got ${JSON.stringify(raw)}`);
    return v;
  };
}
