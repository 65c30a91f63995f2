/**
 * The cost optimizer's ledger format (spend per period instance, persisted as JSON) and the
 * small money helpers its reasons are written with.
 */
import type { BudgetPeriod } from './types.js';
export declare const BUDGET_PERIODS: readonly BudgetPeriod[];
/** Returned as `maxAffordableWorkers` when workers cost nothing. */
export declare const UNLIMITED_WORKERS: number;
export declare const LEDGER_VERSION = 1;
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
export declare function isRate(v: unknown): v is number;
/** Worker counts from metrics may be garbage; NaN/negative count as 0, +Infinity as unlimited. */
export declare function sanitizeWorkers(v: number): number;
export declare function tolerance(budget: number): number;
export declare function exceeds(spend: number, budget: number): boolean;
export declare function usd(v: number): string;
export declare function pct(u: number): string;
export declare function fmtWorkers(n: number): string;
export declare function parseLedger(json: string): StoredLedger;
