/**
 * Output of `bountybot forecast`: the `--json` array, the readable table, the Markdown table of
 * BENCHMARKS.md and the `--predictions-out` CSV.
 */
import { type ForecastEvaluation, type ForecastPredictions, type ForecastScore } from './forecast-eval.js';
import type { ForecastModel } from './forecast-models.js';
/** ISO 8601 UTC without milliseconds when they are 0 (the traces' own style). */
export declare function isoTime(ms: number): string;
/** The `--json` contract: one object per model. */
export declare function forecastJson(ev: ForecastEvaluation): ForecastScore[];
/** `timestamp,actual,predicted`: window start t (ISO) and mean rates per minute over [t, t+H). */
export declare function predictionsCsv(p: ForecastPredictions): string;
/** The readable table printed without --json. */
export declare function forecastTable(ev: ForecastEvaluation, models: readonly ForecastModel[]): string;
/** A Markdown table of several evaluations of one trace (one column group per horizon). */
export declare function forecastMarkdown(evs: readonly ForecastEvaluation[]): string;
