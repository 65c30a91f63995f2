/** Control requests are a few dozen bytes; anything near this is a mistake or abuse. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Longest override accepted, seconds (one day): a forgotten override must not pin the fleet for ever. */
export const MAX_OVERRIDE_TTL_SECONDS = 86_400;
export class HttpError extends Error {
    status;
    headers;
    constructor(status, message, headers = {}) {
        super(message);
        this.status = status;
        this.headers = headers;
        this.name = 'HttpError';
    }
}
/**
 * Reads the body as JSON, refusing more than `limit` bytes (413) and malformed JSON (400).
 * An empty body reads as `undefined`.
 */
export async function readJsonBody(req, limit = MAX_BODY_BYTES) {
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limit) {
        throw new HttpError(413, `request body too large: ${declared} bytes, limit ${limit}`, { Connection: 'close' });
    }
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > limit) {
            throw new HttpError(413, `request body too large: more than ${limit} bytes`, { Connection: 'close' });
        }
        chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '')
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        throw new HttpError(400, `request body is not valid JSON: ${detail}`);
    }
}
const OVERRIDE_FIELDS = new Set(['workers', 'ttlSeconds']);
/**
 * Validates `{ workers, ttlSeconds }`. The upper bound of `workers` (maxWorkers) is the
 * runtime's to check; it throws RangeError, which the server also maps to 400.
 */
export function parseOverrideRequest(body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new HttpError(400, `request body must be a JSON object {"workers": <int>, "ttlSeconds": <int>}; got ${describe(body)}`);
    }
    const record = body;
    for (const key of Object.keys(record)) {
        if (!OVERRIDE_FIELDS.has(key)) {
            throw new HttpError(400, `unknown field ${JSON.stringify(key)}; expected "workers" and "ttlSeconds"`);
        }
    }
    const { workers, ttlSeconds } = record;
    if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0) {
        throw new HttpError(400, `workers must be an integer >= 0; got ${describe(workers)}`);
    }
    if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_OVERRIDE_TTL_SECONDS) {
        throw new HttpError(400, `ttlSeconds must be an integer in [1, ${MAX_OVERRIDE_TTL_SECONDS}]; got ${describe(ttlSeconds)}`);
    }
    return { workers, ttlSeconds };
}
function describe(value) {
    if (value === undefined)
        return 'nothing (field missing)';
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
//# sourceMappingURL=request.js.map