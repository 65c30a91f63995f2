/**
 * The validation handler contract and its loader. A handler is any ES module exporting
 * `async validate(job, context)`; the worker completes the job with its result or fails it
 * (retry with backoff) when it throws. A handler throws PermanentJobError (exported by
 * `bountybot/autoscaling`) for a job that can never succeed: it is dead-lettered at once.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../autoscaling/errors.js';
import * as demoHandler from './demo-handler.js';

export interface ValidationJob {
  /** The queue's job id (opaque: a number as a string on SQLite, BullMQ's id on Redis). */
  id: string;
  payload: unknown;
  /** 1 on the first attempt. */
  attempt: number;
  maxAttempts: number;
  enqueuedAt: Date;
}

export interface ValidationContext {
  workerId: string;
  /** Aborted when the job times out or the worker gives up draining; stop work promptly. */
  signal: AbortSignal;
}

export interface ValidationHandler {
  validate(job: ValidationJob, context: ValidationContext): Promise<unknown>;
}

/** The built-in demo handler's name for `--handler` and the config's `handler` (same as BUILTIN_DEMO_HANDLER). */
export const DEMO_HANDLER = 'builtin:demo';

export function isDemoHandler(spec: string): boolean {
  return spec === DEMO_HANDLER || spec === 'demo';
}

/** The handler module cannot be found or does not export `validate`. */
export class HandlerLoadError extends UsageError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { ...opts, code: 'HANDLER_LOAD_FAILED' });
  }
}

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || isAbsolute(spec) || /\.(m?[jt]s|cjs)$/.test(spec);
}

/** Resolves a handler spec to an import specifier; checks files exist (relative paths from `cwd`). */
export function resolveHandlerSpec(spec: string, cwd = process.cwd()): string {
  if (spec.trim() === '') throw new HandlerLoadError('handler must name a module; got an empty string');
  if (isDemoHandler(spec)) return DEMO_HANDLER;
  if (!looksLikePath(spec)) return spec;
  const file = resolve(cwd, spec);
  if (!existsSync(file)) throw new HandlerLoadError(`handler module not found: ${JSON.stringify(spec)} (looked for ${file})`);
  return pathToFileURL(file).href;
}

export async function loadHandler(spec: string, cwd = process.cwd()): Promise<ValidationHandler> {
  if (isDemoHandler(spec)) {
    try {
      demoHandler.demoLatencyFromEnv(); // a bad tuning variable fails here, not on every job
    } catch (err) {
      throw new HandlerLoadError(`demo handler: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { validate: demoHandler.validate };
  }
  const specifier = resolveHandlerSpec(spec, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HandlerLoadError(`cannot load handler module ${JSON.stringify(spec)}: ${why}`);
  }
  const fromDefault = mod.default as Record<string, unknown> | undefined;
  const validate = typeof mod.validate === 'function' ? mod.validate
    : typeof fromDefault?.validate === 'function' ? fromDefault.validate.bind(fromDefault) : undefined;
  if (typeof validate !== 'function') {
    throw new HandlerLoadError(`handler module ${JSON.stringify(spec)} does not export an async function validate(job)`);
  }
  return { validate: validate as ValidationHandler['validate'] };
}
