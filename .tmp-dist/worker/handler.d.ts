export interface ValidationJob {
    id: number;
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
export declare const DEMO_HANDLER = "builtin:demo";
export declare function isDemoHandler(spec: string): boolean;
/** The handler module cannot be found or does not export `validate`. */
export declare class HandlerLoadError extends Error {
    constructor(message: string);
}
/** Resolves a handler spec to an import specifier; checks files exist (relative paths from `cwd`). */
export declare function resolveHandlerSpec(spec: string, cwd?: string): string;
export declare function loadHandler(spec: string, cwd?: string): Promise<ValidationHandler>;
