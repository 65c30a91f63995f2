/** Option parsing shared by the runtime commands (run, worker, load, start): clear errors, exit 2. */
import { UsageError } from './main.js';
export function parseNumberOption(flag, raw, rule, ruleText) {
    if (raw === undefined)
        return undefined;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || !rule(v)) {
        throw new UsageError(`${flag} must be ${ruleText}; got ${JSON.stringify(raw)}`);
    }
    return v;
}
export const isPositiveInt = (v) => Number.isInteger(v) && v >= 1;
export const isPositive = (v) => v > 0;
export const isNonNegative = (v) => v >= 0;
export const isPort = (v) => Number.isInteger(v) && v >= 0 && v <= 65535;
/** Resolves when SIGINT/SIGTERM arrives the first time; a second one calls `onSecond`. */
export function onShutdownSignal(onFirst, onSecond) {
    let seen = false;
    const handler = (signal) => {
        if (seen)
            onSecond(signal);
        else {
            seen = true;
            onFirst(signal);
        }
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
    };
}
//# sourceMappingURL=runtime-options.js.map