/**
 * Bearer-token check for the control endpoints. The control API is closed unless a token is
 * configured; comparisons take the same time whatever the presented token is.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
export const API_TOKEN_ENV = 'BOUNTYBOT_API_TOKEN';
export const CONTROL_DISABLED_MESSAGE = `control API disabled: set api_token or ${API_TOKEN_ENV}`;
/**
 * The token in force: `BOUNTYBOT_API_TOKEN` when set and non-blank (so a secret can stay out of
 * the config file and be rotated without editing it), else the config's `api_token`. Blank
 * values count as unset: an empty token must never open the API.
 */
export function resolveApiToken(configToken, env = process.env) {
    const fromEnv = env[API_TOKEN_ENV]?.trim();
    if (fromEnv)
        return fromEnv;
    const fromConfig = configToken?.trim();
    return fromConfig ? fromConfig : undefined;
}
/** Checks an `Authorization` header value against the configured token (undefined = API disabled). */
export function checkBearer(header, token) {
    if (token === undefined || token === '')
        return { ok: false, status: 403, message: CONTROL_DISABLED_MESSAGE };
    if (header === undefined)
        return { ok: false, status: 401, message: 'missing Authorization: Bearer <token> header' };
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    const presented = match?.[1];
    if (presented === undefined)
        return { ok: false, status: 401, message: 'Authorization header must be "Bearer <token>"' };
    if (!constantTimeEqual(presented, token))
        return { ok: false, status: 401, message: 'invalid bearer token' };
    return { ok: true };
}
/**
 * Compares fixed-length digests so neither the content nor the length of the expected token
 * leaks through timing (timingSafeEqual alone requires equal lengths).
 */
export function constantTimeEqual(a, b) {
    const da = createHash('sha256').update(a, 'utf8').digest();
    const db = createHash('sha256').update(b, 'utf8').digest();
    return timingSafeEqual(da, db);
}
//# sourceMappingURL=auth.js.map