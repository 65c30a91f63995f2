/**
 * `bountybot forecast`: walk-forward forecast accuracy of the predictor against the baselines on a
 * `timestamp,count` trace (see src/sim/forecast-eval.ts for the exact rules and metrics).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { binTrace, evaluateForecasts, horizonBins, type ForecastEvaluation } from '../sim/forecast-eval.js';
import { createForecastModels, type ForecastModel } from '../sim/forecast-models.js';
import { forecastJson, forecastTable, predictionsCsv } from '../sim/forecast-output.js';
import { loadTraceFile } from '../sim/trace.js';
import { UsageError } from '../autoscaling/errors.js';
import { SIM_RULES, simNumberOption } from './sim-options.js';

interface ForecastCliOptions {
  trace: string;
  /** Parsed by the command line (a number); a string is checked here (programmatic callers). */
  horizonMinutes: number | string;
  json?: boolean;
  predictionsOut?: string;
}

export function registerForecast(program: Command): void {
  program
    .command('forecast')
    .description('walk-forward forecast accuracy (WAPE, MAPE, MASE) of the predictor and baselines on a trace')
    .requiredOption('--trace <file>', 'CSV "timestamp,count" per bin (any bin width, detected)')
    .addOption(simNumberOption('--horizon-minutes <h>', 'forecast window H, minutes: a positive multiple of the bin width', SIM_RULES.horizonMinutes)
      .makeOptionMandatory())
    .option('--json', 'print one JSON object per model: model, wape, mape, mase, accuracy, n, fallbacks')
    .option('--predictions-out <file>', 'write the scored bountybot forecasts as CSV "timestamp,actual,predicted"')
    .action((opts: ForecastCliOptions) => {
      runForecastCommand(opts, (text) => process.stdout.write(text));
    });
}

export interface ForecastRun {
  evaluation: ForecastEvaluation;
  models: ForecastModel[];
}

/** Loads the trace and evaluates every model; user errors throw UsageError subclasses (exit 2). */
export function runForecastCommand(opts: ForecastCliOptions, write: (text: string) => void): ForecastRun {
  const raw = String(opts.horizonMinutes).trim();
  const horizon = Number(raw);
  if (raw === '' || !Number.isFinite(horizon) || horizon <= 0) {
    throw new UsageError(`--horizon-minutes must be a number > 0; got ${JSON.stringify(opts.horizonMinutes)}`);
  }
  const trace = loadTraceFile(opts.trace);
  const series = binTrace(trace);
  horizonBins(horizon, series.binMinutes);
  const models = createForecastModels({ binMinutes: series.binMinutes });
  const evaluation = evaluateForecasts(series, {
    horizonMinutes: horizon,
    models,
    ...(opts.predictionsOut !== undefined ? { keepPredictionsOf: 'bountybot' } : {}),
  });
  if (opts.predictionsOut !== undefined && evaluation.predictions !== undefined) {
    writeOutput(opts.predictionsOut, predictionsCsv(evaluation.predictions));
  }
  write(opts.json === true ? `${JSON.stringify(forecastJson(evaluation), null, 2)}\n` : forecastTable(evaluation, models));
  return { evaluation, models };
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new UsageError(`--predictions-out: cannot write ${path}: ${(err as Error).message}`);
  }
}
