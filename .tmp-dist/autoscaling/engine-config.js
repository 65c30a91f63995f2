/**
 * Accepts engine settings as camelCase (TypeScript) or as the brief's snake_case (pasted from
 * the Python examples or YAML), and rejects unknown keys with a suggestion.
 */
import { ConfigError, DEFAULT_COST_CONFIG, DEFAULT_SCALING_CONFIG, } from './scaling-config.js';
const SCALING_KEYS = new Set([
    ...Object.keys(DEFAULT_SCALING_CONFIG), 'scaleUpCooldownMinutes', 'scaleDownCooldownMinutes', 'costConfig',
]);
const COST_KEYS = new Set(Object.keys(DEFAULT_COST_CONFIG));
export function snakeToCamel(key) {
    return key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}
/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a, b) {
    const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = prev[0] ?? 0;
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = prev[j] ?? 0;
            const left = prev[j - 1] ?? 0;
            prev[j] = Math.min(above + 1, left + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
        }
    }
    return prev[b.length] ?? 0;
}
export function closestKey(key, known) {
    let best;
    let bestDistance = Infinity;
    for (const k of known) {
        const d = editDistance(key.toLowerCase(), k.toLowerCase());
        if (d < bestDistance) {
            bestDistance = d;
            best = k;
        }
    }
    return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
function normalizeObject(input, known, path) {
    const out = {};
    for (const [rawKey, value] of Object.entries(input)) {
        const key = snakeToCamel(rawKey);
        if (!known.has(key)) {
            const suggestion = closestKey(key, known);
            throw new ConfigError(`unknown setting ${path}${rawKey}${suggestion ? ` — did you mean ${suggestion}?` : ''}`);
        }
        out[key] = value;
    }
    return out;
}
export function normalizeScalingConfigInput(input) {
    if (input === undefined || input === null)
        return {};
    if (typeof input !== 'object' || Array.isArray(input)) {
        throw new ConfigError(`scaling config must be an object; got ${Array.isArray(input) ? 'an array' : typeof input}`);
    }
    const out = normalizeObject(input, SCALING_KEYS, '');
    const cost = out.costConfig;
    if (cost !== undefined) {
        if (typeof cost !== 'object' || cost === null || Array.isArray(cost)) {
            throw new ConfigError(`costConfig must be an object; got ${String(cost)}`);
        }
        out.costConfig = normalizeObject(cost, COST_KEYS, 'costConfig.');
    }
    return out;
}
//# sourceMappingURL=engine-config.js.map