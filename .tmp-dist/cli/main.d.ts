/**
 * `bountybot` command line. Each command lives in its own file and registers itself here.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input (config, arguments, environment).
 */
import { Command } from 'commander';
export declare function buildProgram(): Command;
/** Errors a user can fix (bad config, arguments, environment): exit code 2 with one clear line. */
export declare class UsageError extends Error {
    constructor(message: string);
}
export declare function main(argv: readonly string[]): Promise<number>;
