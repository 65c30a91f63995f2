export const BUDGET_PERIODS = ['hourly', 'daily', 'monthly'];
/** Returned as `maxAffordableWorkers` when workers cost nothing. */
export const UNLIMITED_WORKERS = Number.MAX_SAFE_INTEGER;
export const LEDGER_VERSION = 1;
export function isRate(v) {
    return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}
/** Worker counts from metrics may be garbage; NaN/negative count as 0, +Infinity as unlimited. */
export function sanitizeWorkers(v) {
    if (typeof v !== 'number' || !(v >= 0))
        return 0;
    return Math.min(v, UNLIMITED_WORKERS);
}
export function tolerance(budget) {
    return 1e-9 * Math.max(1, Math.abs(budget));
}
export function exceeds(spend, budget) {
    return spend > budget + tolerance(budget);
}
export function usd(v) {
    return `$${v.toFixed(2)}`;
}
export function pct(u) {
    return `${(u * 100).toFixed(1)}%`;
}
export function fmtWorkers(n) {
    return n === UNLIMITED_WORKERS ? 'unlimited workers' : `${n} worker${n === 1 ? '' : 's'}`;
}
export function parseLedger(json) {
    let raw;
    try {
        raw = JSON.parse(json);
    }
    catch (err) {
        throw new TypeError(`importLedger: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const obj = raw;
    if (obj === null || typeof obj !== 'object' || obj.version !== LEDGER_VERSION || typeof obj.periods !== 'object' || obj.periods === null) {
        throw new TypeError(`importLedger: expected a ledger of version ${LEDGER_VERSION} from exportLedger()`);
    }
    const periods = {};
    for (const p of BUDGET_PERIODS) {
        const s = obj.periods[p];
        if (s === undefined)
            continue;
        const ok = typeof s === 'object' && s !== null
            && typeof s.startMs === 'number' && typeof s.endMs === 'number'
            && isRate(s.spend) && (s.alertLevel === 0 || s.alertLevel === 1 || s.alertLevel === 2);
        if (!ok)
            throw new TypeError(`importLedger: periods.${p} is malformed; got ${JSON.stringify(s)}`);
        periods[p] = { startMs: s.startMs, endMs: s.endMs, spend: s.spend, alertLevel: s.alertLevel };
    }
    return { version: LEDGER_VERSION, timezone: String(obj.timezone), periods };
}
//# sourceMappingURL=cost-ledger.js.map