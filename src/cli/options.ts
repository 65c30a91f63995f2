/**
 * Commander option helpers shared by the runtime commands (run, worker, load, start). Numbers are
 * parsed by commander itself (`argParser`), so a bad value stops the command before anything
 * starts, with one line naming the flag and the value:
 *   bountybot: option '--concurrency <n>' argument '1e9' is invalid. Expected an integer in [1, 256].
 */
import { InvalidArgumentError, Option } from 'commander';
import { parseQueueUrl, type QueueUrl } from '../startup/queue-url.js';

export interface DecimalRule {
  /** Lowest accepted value (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Highest accepted value, inclusive: every number has a documented sane maximum. */
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
}

/** Plain decimal notation: no hex (0x10), exponent (1e9), NaN, Infinity, or empty string. */
const DECIMAL_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The rule in words, e.g. "a decimal number in (0, 3600]" or "an integer in [1, 256]". */
export function describeRule(r: DecimalRule): string {
  const kind = r.integer === true ? 'an integer' : 'a decimal number';
  if (r.min === undefined) return `${kind} <= ${r.max}`;
  return `${kind} in ${r.minExclusive === true ? '(' : '['}${r.min}, ${r.max}]`;
}

/** `raw` as a number within `r`, or undefined when it is not a plain decimal in range. */
export function parseDecimal(raw: string, r: DecimalRule): number | undefined {
  const text = raw.trim();
  if (!DECIMAL_RE.test(text)) return undefined;
  const v = Number(text);
  if (!Number.isFinite(v)) return undefined;
  if (r.integer === true && !Number.isSafeInteger(v)) return undefined;
  if (r.min !== undefined && (r.minExclusive === true ? v <= r.min : v < r.min)) return undefined;
  if (v > r.max) return undefined;
  return v;
}

/** A commander `argParser`: the number, or InvalidArgumentError (commander names the flag and value). */
export function decimal(r: DecimalRule): (raw: string) => number {
  return (raw: string): number => {
    const v = parseDecimal(raw, r);
    if (v === undefined) throw new InvalidArgumentError(`Expected ${describeRule(r)}.`);
    return v;
  };
}

/** Rules shared by several commands, so each bound is declared once. */
export const RULES = Object.freeze({
  port: { min: 0, max: 65_535, integer: true },
  /** Jobs one worker runs at once. */
  concurrency: { min: 1, max: 256, integer: true },
  leaseSeconds: { min: 0, minExclusive: true, max: 3600 },
  heartbeatSeconds: { min: 0, minExclusive: true, max: 600 },
  drainTimeoutSeconds: { min: 0, max: 3600 },
  orphanTimeoutSeconds: { min: 0, minExclusive: true, max: 86_400 },
  intervalSeconds: { min: 0, minExclusive: true, max: 86_400 },
  jobRetentionHours: { min: 0, minExclusive: true, max: 87_600 },
  jobTimeoutSeconds: { min: 0, minExclusive: true, max: 86_400 },
  pollMs: { min: 1, max: 60_000 },
  speed: { min: 0, minExclusive: true, max: 1_000_000 },
  scale: { min: 0, minExclusive: true, max: 1_000_000 },
  seed: { min: 0, max: 4_294_967_295, integer: true },
  minutes: { min: 0, minExclusive: true, max: 10_000_000 },
  startMinute: { min: 0, max: 10_000_000 },
  fallbackAfterTicks: { min: 1, max: 1000, integer: true },
  controllerLeaseSeconds: { min: 0.5, max: 600 },
  fallbackWorkers: { min: 0, max: 10_000, integer: true },
} satisfies Record<string, DecimalRule>);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `--log-level`, also read from BOUNTYBOT_LOG_LEVEL (the flag wins); default info. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).env('BOUNTYBOT_LOG_LEVEL').default('info');
}

export const QUEUE_URL_HELP = 'job queue: sqlite:PATH or redis://HOST:PORT[/DB][?name=QUEUE]';

/** `--queue <url>`: parsed by commander, so a bad URL stops the command with one line. */
export function queueOption(defaultText: string): Option {
  return new Option('--queue <url>', `${QUEUE_URL_HELP} (default ${defaultText})`).argParser((raw: string): QueueUrl => {
    try {
      return parseQueueUrl(raw);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message.replace(/^--queue:? /, '') : String(err));
    }
  });
}
