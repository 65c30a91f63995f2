/**
 * Request-side helpers of the HTTP server: a bounded JSON body reader and the validation of
 * the override request. Errors carry the HTTP status they map to and a message naming the
 * field and the value.
 */
import type { IncomingMessage } from 'node:http';
/** Control requests are a few dozen bytes; anything near this is a mistake or abuse. */
export declare const MAX_BODY_BYTES: number;
/** Longest override accepted, seconds (one day): a forgotten override must not pin the fleet for ever. */
export declare const MAX_OVERRIDE_TTL_SECONDS = 86400;
export declare class HttpError extends Error {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    constructor(status: number, message: string, headers?: Readonly<Record<string, string>>);
}
/**
 * Reads the body as JSON, refusing more than `limit` bytes (413) and malformed JSON (400).
 * An empty body reads as `undefined`.
 */
export declare function readJsonBody(req: IncomingMessage, limit?: number): Promise<unknown>;
export interface OverrideRequest {
    workers: number;
    ttlSeconds: number;
}
/**
 * Validates `{ workers, ttlSeconds }`. The upper bound of `workers` (maxWorkers) is the
 * runtime's to check; it throws RangeError, which the server also maps to 400.
 */
export declare function parseOverrideRequest(body: unknown): OverrideRequest;
