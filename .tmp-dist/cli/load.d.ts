/**
 * `bountybot load`: enqueue validation jobs into the live queue following a trace or a built-in
 * scenario, time-compressed by --speed (trace seconds per wall second).
 */
import type { Command } from 'commander';
import { type LoadPlan } from '../runtime/load-generator.js';
interface LoadCliOptions {
    trace?: string;
    scenario?: string;
    speed: string;
    db: string;
    scale?: string;
    seed: string;
    startMinute: string;
    minutes?: string;
    quiet?: boolean;
}
export declare function registerLoad(program: Command): void;
export declare function buildLoadPlan(opts: Pick<LoadCliOptions, 'trace' | 'scenario' | 'scale' | 'seed' | 'startMinute' | 'minutes'>): LoadPlan;
export {};
