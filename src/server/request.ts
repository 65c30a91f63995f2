/**
 * Request-side helpers of the HTTP server: a bounded JSON body reader and the validation of
 * the override request. Errors carry the HTTP status they map to and a message naming the
 * field and the value.
 */
import type { IncomingMessage } from 'node:http';
import { BountybotError } from '../autoscaling/errors.js';

/** Control requests are a few dozen bytes; anything near this is a mistake or abuse. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Longest override accepted, seconds (one day): a forgotten override must not pin the fleet for ever. */
export const MAX_OVERRIDE_TTL_SECONDS = 86_400;

/** A request the server answers with `status` (4xx); never leaves the server. */
export class HttpError extends BountybotError {
  constructor(readonly status: number, message: string, readonly headers: Readonly<Record<string, string>> = {}) {
    super(`HTTP_${status}`, message);
  }
}

/**
 * Reads the body as JSON, refusing more than `limit` bytes (413) and malformed JSON (400).
 * An empty body reads as `undefined`.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    throw new HttpError(413, `request body too large: ${declared} bytes, limit ${limit}`, { Connection: 'close' });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpError(413, `request body too large: more than ${limit} bytes`, { Connection: 'close' });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new HttpError(400, `request body is not valid JSON: ${detail}`);
  }
}

export interface OverrideRequest {
  workers: number;
  ttlSeconds: number;
}

const OVERRIDE_FIELDS = new Set(['workers', 'ttlSeconds']);

/**
 * Validates `{ workers, ttlSeconds }`. The upper bound of `workers` (maxWorkers) is the
 * runtime's to check; it throws RangeError, which the server also maps to 400.
 */
export function parseOverrideRequest(body: unknown): OverrideRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, `request body must be a JSON object {"workers": <int>, "ttlSeconds": <int>}; got ${describe(body)}`);
  }
  const record = body as Record<string, unknown>;
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

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Longest history one request may cover (the store keeps a week by default), ms. */
export const MAX_HISTORY_SPAN_MS = 31 * 86_400_000;
export const DEFAULT_HISTORY_SPAN_MS = 3_600_000;
export const DEFAULT_HISTORY_POINTS = 600;

/** A time as epoch milliseconds or ISO 8601. */
function parseTime(name: string, raw: string): number {
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(t)) throw new HttpError(400, `${name} must be epoch milliseconds or an ISO 8601 time; got ${describe(raw)}`);
  return t;
}

function parseIntParam(name: string, raw: string | null, min: number, max: number, fallback: number): number {
  if (raw === null) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw new HttpError(400, `${name} must be an integer in [${min}, ${max}]; got ${describe(raw)}`);
  }
  return v;
}

/** `GET /api/history?since=T&until=T&points=N`: defaults the last hour, now, 600 points. */
export function parseHistoryQuery(params: URLSearchParams, nowMs: number): { fromMs: number; toMs: number; maxPoints: number } {
  const until = params.get('until');
  const since = params.get('since');
  const toMs = until === null ? nowMs + 1 : parseTime('until', until);
  const fromMs = since === null ? toMs - DEFAULT_HISTORY_SPAN_MS : parseTime('since', since);
  if (!(fromMs < toMs)) throw new HttpError(400, `since must be before until; got since=${describe(since)} until=${describe(until ?? 'now')}`);
  if (toMs - fromMs > MAX_HISTORY_SPAN_MS) {
    throw new HttpError(400, `since..until may span at most ${MAX_HISTORY_SPAN_MS / 86_400_000} days; got ${((toMs - fromMs) / 86_400_000).toFixed(1)}`);
  }
  return { fromMs, toMs, maxPoints: parseIntParam('points', params.get('points'), 1, 5000, DEFAULT_HISTORY_POINTS) };
}

/** `GET /api/decisions?limit=N`: default 200, at most 1000. */
export function parseDecisionsQuery(params: URLSearchParams): { limit: number } {
  return { limit: parseIntParam('limit', params.get('limit'), 1, 1000, 200) };
}
