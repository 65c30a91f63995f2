/**
 * `bountybot load`: enqueue validation jobs into the live queue following a trace or a built-in
 * scenario, time-compressed by --speed (trace seconds per wall second).
 */
import type { Command } from 'commander';
import { DEFAULT_DATABASE_PATH, SqliteStore, StoreOpenError } from '../adapters/sqlite-store.js';
import { runLoad, windowPlan, type LoadPlan } from '../runtime/load-generator.js';
import { buildScenario, SCENARIO_NAMES } from '../sim/scenarios.js';
import { loadTraceFile, TraceError, type Trace } from '../sim/trace.js';
import { buildWorkload, WorkloadError } from '../sim/workload.js';
import { UsageError } from '../autoscaling/errors.js';
import { isNonNegative, isPositive, onShutdownSignal, parseNumberOption } from './runtime-options.js';

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

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('enqueue validation jobs following a trace or scenario, time-compressed, into the live queue')
    .option('--trace <file>', 'CSV trace (timestamp,count per bin)')
    .option('--scenario <name>', `built-in scenario: ${SCENARIO_NAMES.join(', ')}`)
    .option('--speed <x>', 'trace seconds replayed per wall-clock second', '1')
    .option('--db <path>', 'SQLite database of the controller', DEFAULT_DATABASE_PATH)
    .option('--scale <f>', 'multiply every bin count by this factor')
    .option('--seed <n>', 'seed for spreading arrivals inside a bin', '1')
    .option('--start-minute <m>', 'skip the first M minutes of the trace', '0')
    .option('--minutes <n>', 'replay only N minutes of the trace (default: to the end)')
    .option('--quiet', 'no progress lines')
    .action(async (opts: LoadCliOptions) => {
      const plan = buildLoadPlan(opts);
      const speed = parseNumberOption('--speed', opts.speed, isPositive, 'a number > 0') as number;
      let store: SqliteStore;
      try {
        store = SqliteStore.open({ path: opts.db });
      } catch (err) {
        throw err instanceof StoreOpenError ? new UsageError(err.message) : err;
      }
      const abort = new AbortController();
      const off = onShutdownSignal(() => abort.abort(), () => process.exit(130));
      const wallSeconds = plan.endMs / speed / 1000;
      if (!opts.quiet) {
        process.stdout.write(`load: ${plan.arrivalMs.length} jobs from ${plan.source} over ${fmt(plan.endMs / 1000)} of trace time `
          + `(${fmt(wallSeconds)} at ${speed}x) into ${store.path}\n`);
      }
      let lastPrint = 0;
      try {
        const n = await runLoad(store.queue, plan, {
          speed, signal: abort.signal,
          onProgress: (p) => {
            if (opts.quiet || Date.now() - lastPrint < 5000) return;
            lastPrint = Date.now();
            process.stdout.write(`load: ${p.enqueued}/${p.total} enqueued, trace time ${fmt(p.traceMs / 1000)}\n`);
          },
        });
        if (!opts.quiet) process.stdout.write(`load: done, ${n} jobs enqueued${abort.signal.aborted ? ' (interrupted)' : ''}\n`);
      } finally {
        off();
        store.close();
      }
    });
}

export function buildLoadPlan(opts: Pick<LoadCliOptions, 'trace' | 'scenario' | 'scale' | 'seed' | 'startMinute' | 'minutes'>): LoadPlan {
  if ((opts.trace === undefined) === (opts.scenario === undefined)) {
    throw new UsageError('give exactly one of --trace FILE or --scenario NAME');
  }
  let trace: Trace;
  if (opts.scenario !== undefined) {
    const sc = buildScenario(opts.scenario);
    if (!sc) throw new UsageError(`unknown scenario ${JSON.stringify(opts.scenario)}; choose one of ${SCENARIO_NAMES.join(', ')}`);
    trace = sc.trace;
  } else {
    try {
      trace = loadTraceFile(opts.trace as string);
    } catch (err) {
      throw err instanceof TraceError ? new UsageError(err.message) : err;
    }
  }
  const scale = parseNumberOption('--scale', opts.scale, isPositive, 'a number > 0');
  const seed = parseNumberOption('--seed', opts.seed, Number.isSafeInteger, 'an integer') as number;
  const startMinute = parseNumberOption('--start-minute', opts.startMinute, isNonNegative, 'a number >= 0') as number;
  const minutes = parseNumberOption('--minutes', opts.minutes, isPositive, 'a number > 0');
  let workload;
  try {
    workload = buildWorkload(trace, { ...(scale !== undefined ? { scale } : {}), serviceTimeSeconds: 1, serviceCv: 0, seed });
  } catch (err) {
    throw err instanceof WorkloadError ? new UsageError(err.message) : err;
  }
  const full: LoadPlan = { source: trace.source, arrivalMs: workload.arrivalMs, endMs: trace.endMs };
  const from = startMinute * 60_000;
  if (from >= trace.endMs) throw new UsageError(`--start-minute ${startMinute} is past the end of the trace (${fmt(trace.endMs / 1000)})`);
  return windowPlan(full, from, minutes !== undefined ? minutes * 60_000 : trace.endMs - from);
}

function fmt(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
