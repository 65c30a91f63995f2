/**
 * `bountybot forecast`: walk-forward forecast accuracy of the predictor against the baselines on a
 * `timestamp,count` trace (see src/sim/forecast-eval.ts for the exact rules and metrics).
 */
import type { Command } from 'commander';
import { type ForecastEvaluation } from '../sim/forecast-eval.js';
import { type ForecastModel } from '../sim/forecast-models.js';
interface ForecastCliOptions {
    trace: string;
    horizonMinutes: string;
    json?: boolean;
    predictionsOut?: string;
}
export declare function registerForecast(program: Command): void;
export interface ForecastRun {
    evaluation: ForecastEvaluation;
    models: ForecastModel[];
}
/** Loads the trace and evaluates every model; user errors become UsageError (exit 2). */
export declare function runForecastCommand(opts: ForecastCliOptions, write: (text: string) => void): ForecastRun;
export {};
