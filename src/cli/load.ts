/**
 * `bountybot load`: enqueue validation jobs into the live queue following a trace or a built-in
 * scenario, time-compressed by --speed (trace seconds per wall second).
 */
import { Option, type Command } from 'commander';
import { DEFAULT_DATABASE_PATH } from '../adapters/sqlite-store.js';
import { openBackend } from '../startup/backend.js';
import { sqliteQueueUrl, type QueueUrl } from '../startup/queue-url.js';
import { UsageError } from '../autoscaling/errors.js';
import { runLoad, windowPlan, type LoadPlan } from '../runtime/load-generator.js';
import { buildScenario, SCENARIO_NAMES } from '../sim/scenarios.js';
import { loadTraceFile, type Trace } from '../sim/trace.js';
import { buildWorkload, MAX_JOBS } from '../sim/workload.js';
import { decimal, queueOption, RULES } from './options.js';
import { onShutdownSignal } from './runtime-options.js';

interface LoadCliOptions {
  trace?: string;
  scenario?: string;
  speed: number;
  db: string;
  queue?: QueueUrl;
  scale?: number;
  seed: number;
  startMinute: number;
  minutes?: number;
  quiet?: boolean;
}

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('enqueue validation jobs following a trace or scenario, time-compressed, into the live queue')
    .addOption(new Option('--trace <file>', 'CSV trace (timestamp,count per bin)').conflicts('scenario'))
    .addOption(new Option('--scenario <name>', 'built-in scenario').choices(SCENARIO_NAMES))
    .option('--speed <x>', 'trace seconds replayed per wall-clock second', decimal(RULES.speed), 1)
    .addOption(queueOption('sqlite:<--db>'))
    .option('--db <path>', 'SQLite database of the controller (the queue when --queue is not given)', DEFAULT_DATABASE_PATH)
    .option('--scale <f>', 'multiply every bin count by this factor', decimal(RULES.scale))
    .option('--seed <n>', 'seed for spreading arrivals inside a bin', decimal(RULES.seed), 1)
    .option('--start-minute <m>', 'skip the first M minutes of the trace', decimal(RULES.startMinute), 0)
    .option('--minutes <n>', 'replay only N minutes of the trace (default: to the end)', decimal(RULES.minutes))
    .option('--quiet', 'no progress lines')
    .action(async (opts: LoadCliOptions) => {
      const plan = buildLoadPlan(opts);
      const speed = opts.speed;
      const url = opts.queue ?? sqliteQueueUrl(opts.db);
      // A Redis outage pauses the replay rather than cutting it short: every planned job is enqueued.
      const backend = await openBackend(url, 'load');
      const abort = new AbortController();
      const off = onShutdownSignal(() => abort.abort(), () => process.exit(130));
      const wallSeconds = plan.endMs / speed / 1000;
      if (!opts.quiet) {
        process.stdout.write(`load: ${plan.arrivalMs.length} jobs from ${plan.source} over ${fmt(plan.endMs / 1000)} of trace time `
          + `(${fmt(wallSeconds)} at ${speed}x) into ${url.display}\n`);
      }
      let lastPrint = 0;
      try {
        const n = await runLoad(backend.queue, plan, {
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
        await backend.close();
      }
    });
}

/** The jobs to enqueue; throws UsageError (or the trace's own TraceError) naming the flag and value. */
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
    trace = loadTraceFile(opts.trace as string);
  }
  const scale = opts.scale ?? 1;
  // Each bin rounds its scaled count up by less than one job: this bound is never below the real count.
  let jobs = trace.counts.length;
  for (const c of trace.counts) jobs += c * scale;
  if (jobs > MAX_JOBS) {
    throw new UsageError(`${trace.source}: about ${Math.round(jobs)} jobs with --scale ${scale} is more than load enqueues in one run (${MAX_JOBS}); `
      + 'use a smaller --scale, or --start-minute/--minutes to replay part of the trace');
  }
  const workload = buildWorkload(trace, { scale, serviceTimeSeconds: 1, serviceCv: 0, seed: opts.seed });
  const full: LoadPlan = { source: trace.source, arrivalMs: workload.arrivalMs, endMs: trace.endMs };
  const from = opts.startMinute * 60_000;
  if (from >= trace.endMs) throw new UsageError(`--start-minute ${opts.startMinute} is past the end of the trace (${fmt(trace.endMs / 1000)})`);
  return windowPlan(full, from, opts.minutes !== undefined ? opts.minutes * 60_000 : trace.endMs - from);
}

function fmt(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
