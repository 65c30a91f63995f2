/**
 * `bountybot worker`: one worker process. Leases validation jobs from the store and runs the
 * handler; SIGTERM/SIGINT drains (finishes running jobs, then exits); a second signal exits now.
 */
import type { Command } from 'commander';
export declare function registerWorker(program: Command): void;
