import type { Command } from 'commander';
import type { SimulationResult } from '../sim/types.js';
export interface SimulateCliOptions {
    trace?: string;
    scenario?: string;
    policy: string;
    config?: string;
    scale?: string;
    peakLoad?: string;
    serviceTime?: string;
    serviceCv?: string;
    startupSeconds?: string;
    intervalSeconds?: string;
    sloSeconds?: string;
    sloTarget?: string;
    seed?: string;
    fixedWorkers?: string;
    maxWorkers?: string;
    enforceBudgets?: boolean;
    json?: boolean;
    jobsOut?: string;
    workersOut?: string;
    report?: string;
}
export declare function registerSimulate(program: Command): void;
/** Parses options, runs the simulation, writes the outputs. User errors throw UsageError/ConfigError (exit 2). */
export declare function runSimulateCommand(opts: SimulateCliOptions, write: (text: string) => void): Promise<SimulationResult>;
