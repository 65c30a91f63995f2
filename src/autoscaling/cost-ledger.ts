/**
 * The cost optimizer's ledger format (spend per period instance, persisted as JSON) and the
 * small money helpers its reasons are written with.
 */
import type { BudgetPeriod } from './types.js';

export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['hourly', 'daily', 'monthly'];
/** Returned as `maxAffordableWorkers` when workers cost nothing. */
export const UNLIMITED_WORKERS = Number.MAX_SAFE_INTEGER;
export const LEDGER_VERSION = 1;

/** 0 = no alert yet in this period, 1 = threshold alert raised, 2 = over-budget alert raised. */
export type AlertLevel = 0 | 1 | 2;

/** Spend in one instance of a period ([startMs, endMs) in epoch ms). */
export interface PeriodLedger {
  startMs: number;
  endMs: number;
  spend: number;
  alertLevel: AlertLevel;
}

export interface StoredLedger {
  version: number;
  timezone: string;
  periods: Partial<Record<BudgetPeriod, PeriodLedger>>;
}

export function isRate(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** Worker counts from metrics may be garbage; NaN/negative count as 0, +Infinity as unlimited. */
export function sanitizeWorkers(v: number): number {
  if (typeof v !== 'number' || !(v >= 0)) return 0;
  return Math.min(v, UNLIMITED_WORKERS);
}

export function tolerance(budget: number): number {
  return 1e-9 * Math.max(1, Math.abs(budget));
}

export function exceeds(spend: number, budget: number): boolean {
  return spend > budget + tolerance(budget);
}

export function usd(v: number): string {
  return `$${v.toFixed(2)}`;
}

export function pct(u: number): string {
  return `${(u * 100).toFixed(1)}%`;
}

export function fmtWorkers(n: number): string {
  return n === UNLIMITED_WORKERS ? 'unlimited workers' : `${n} worker${n === 1 ? '' : 's'}`;
}

export function parseLedger(json: string): StoredLedger {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new TypeError(`importLedger: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const obj = raw as Partial<StoredLedger> | null;
  if (obj === null || typeof obj !== 'object' || obj.version !== LEDGER_VERSION || typeof obj.periods !== 'object' || obj.periods === null) {
    throw new TypeError(`importLedger: expected a ledger of version ${LEDGER_VERSION} from exportLedger()`);
  }
  const periods: Partial<Record<BudgetPeriod, PeriodLedger>> = {};
  for (const p of BUDGET_PERIODS) {
    const s = (obj.periods as Record<string, unknown>)[p] as Partial<PeriodLedger> | undefined;
    if (s === undefined) continue;
    const ok = typeof s === 'object' && s !== null
      && typeof s.startMs === 'number' && typeof s.endMs === 'number'
      && isRate(s.spend) && (s.alertLevel === 0 || s.alertLevel === 1 || s.alertLevel === 2);
    if (!ok) throw new TypeError(`importLedger: periods.${p} is malformed; got ${JSON.stringify(s)}`);
    periods[p] = { startMs: s.startMs as number, endMs: s.endMs as number, spend: s.spend as number, alertLevel: s.alertLevel as AlertLevel };
  }
  return { version: LEDGER_VERSION, timezone: String(obj.timezone), periods };
}
