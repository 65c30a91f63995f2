/**
 * The one error hierarchy. Every error the project throws on purpose is a `BountybotError`: a
 * stable `code` for programs, an `exitCode` the CLI maps in one place, and the `cause` it wraps.
 * Pure (no I/O): adapters and commands subclass or construct these, the core throws them too.
 */

/** Process exit codes: 0 success, 1 runtime failure, 2 bad input (config, arguments, environment). */
export const ExitCode = Object.freeze({ ok: 0, failure: 1, usage: 2 });
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface BountybotErrorOptions {
  cause?: unknown;
  /** Default: the class's own (2 for input errors, 1 otherwise). */
  exitCode?: ExitCodeValue;
}

export class BountybotError extends Error {
  /** Stable machine-readable code, e.g. 'CONFIG_INVALID'. */
  readonly code: string;
  readonly exitCode: ExitCodeValue;

  constructor(code: string, message: string, opts: BountybotErrorOptions = {}) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
  }
}

/** Bad input a user can fix: configuration, arguments, environment. Exit code 2. */
export class UsageError extends BountybotError {
  constructor(message: string, opts: Omit<BountybotErrorOptions, 'exitCode'> & { code?: string } = {}) {
    super(opts.code ?? 'USAGE', message, { ...opts, exitCode: ExitCode.usage });
  }
}

/** Any invalid setting; the message names the field and the value. Exit code 2. */
export class ConfigError extends UsageError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { ...opts, code: 'CONFIG_INVALID' });
  }
}

/**
 * Thrown by a validation handler for a job that can never succeed (malformed report, unsupported
 * target): the job is dead-lettered at once instead of being retried.
 */
export class PermanentJobError extends BountybotError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('JOB_PERMANENT_FAILURE', message, opts);
  }
}

/** True for a PermanentJobError, also across module copies (a handler may bundle its own). */
export function isPermanentJobError(err: unknown): boolean {
  return err instanceof PermanentJobError
    || (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'JOB_PERMANENT_FAILURE');
}

/** The exit code for any thrown value: a BountybotError's own, 1 for anything else. */
export function exitCodeOf(err: unknown): ExitCodeValue {
  return err instanceof BountybotError ? err.exitCode : ExitCode.failure;
}
