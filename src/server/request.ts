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
