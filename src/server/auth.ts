/**
 * Bearer-token check for the control endpoints. The control API is closed unless a token is
 * configured; comparisons take the same time whatever the presented token is.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import { API_TOKEN_ENV } from '../config/schema.js';

export const CONTROL_DISABLED_MESSAGE = `control API disabled: set api_token or ${API_TOKEN_ENV}`;

export type AuthResult =
  | { ok: true }
  | { ok: false; status: 401 | 403; message: string };

/** Checks an `Authorization` header value against the configured token (undefined = API disabled). */
export function checkBearer(header: string | undefined, token: string | undefined): AuthResult {
  if (token === undefined || token === '') return { ok: false, status: 403, message: CONTROL_DISABLED_MESSAGE };
  if (header === undefined) return { ok: false, status: 401, message: 'missing Authorization: Bearer <token> header' };
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const presented = match?.[1];
  if (presented === undefined) return { ok: false, status: 401, message: 'Authorization header must be "Bearer <token>"' };
  if (!constantTimeEqual(presented, token)) return { ok: false, status: 401, message: 'invalid bearer token' };
  return { ok: true };
}

/**
 * Compares fixed-length digests so neither the content nor the length of the expected token
 * leaks through timing (timingSafeEqual alone requires equal lengths).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
