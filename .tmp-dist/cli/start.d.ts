/**
 * `bountybot start` (what `npm start` runs): the live controller with real worker processes on a
 * throw-away database, fed a short traffic spike, printing one compact line per evaluation.
 * Shows the fleet scaling up for the spike and back down after it in about two minutes, then
 * stops every worker and exits (Ctrl-C stops it early, also stopping the workers).
 */
import type { Command } from 'commander';
export declare function registerStart(program: Command): void;
