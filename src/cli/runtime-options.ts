/** Signal handling shared by the long-running commands; the legacy number check used by simulate. */
import { UsageError } from '../autoscaling/errors.js';
import { parseDecimal } from './options.js';

/** Decimal notation only; run/worker/load/start use the commander parsers in options.ts instead. */
export function parseNumberOption(flag: string, raw: string | undefined, rule: (v: number) => boolean, ruleText: string): number | undefined {
  if (raw === undefined) return undefined;
  const v = parseDecimal(raw, { max: Number.MAX_VALUE });
  if (v === undefined || !rule(v)) {
    throw new UsageError(`${flag} must be ${ruleText}; got ${JSON.stringify(raw)}`);
  }
  return v;
}

export const isPositiveInt = (v: number): boolean => Number.isInteger(v) && v >= 1;
export const isPositive = (v: number): boolean => v > 0;
export const isNonNegative = (v: number): boolean => v >= 0;
export const isPort = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 65535;

/** Resolves when SIGINT/SIGTERM arrives the first time; a second one calls `onSecond`. */
export function onShutdownSignal(onFirst: (signal: NodeJS.Signals) => void, onSecond: (signal: NodeJS.Signals) => void): () => void {
  let seen = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (seen) onSecond(signal);
    else { seen = true; onFirst(signal); }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
