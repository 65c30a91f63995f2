/**
 * `bountybot simulate`: replays a trace or a built-in scenario through the control loop with each
 * policy (same jobs for all) and reports cost, utilization and latency against the SLO.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadAutoscalingConfig } from '../config/load.js';
import { resolveScalingConfig } from '../autoscaling/scaling-config.js';
import { formatTable, summaryJson, writeJobsCsv, writeWorkersCsv } from '../sim/output.js';
import { POLICY_NAMES } from '../sim/policies/registry.js';
import { runSimulation, SIM_DEFAULTS, type SimulationRequest } from '../sim/run.js';
import { buildScenario, SCENARIO_NAMES } from '../sim/scenarios.js';
import { loadTraceFile, type Trace } from '../sim/trace.js';
import type { SimulationResult } from '../sim/types.js';
import { UsageError } from '../autoscaling/errors.js';
import { isNonNegative, isPositive, isPositiveInt, parseNumberOption } from './runtime-options.js';

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

/** Module and export the `--report` hook loads (written separately; see src/sim/report*.ts). */
const REPORT_MODULE = '../sim/report.js';
type ReportRenderer = (result: SimulationResult) => string | Promise<string>;

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('replay a trace or scenario through each scaling policy (same jobs for all) and compare cost, utilization and SLO')
    .option('--trace <file>', 'CSV "timestamp,count" per bin (any bin width, detected)')
    .option('--scenario <name>', `built-in workload: ${SCENARIO_NAMES.join(', ')}`)
    .option('--policy <name>', `${POLICY_NAMES.join(', ')}, or all`, 'all')
    .option('--config <file>', "autoscaling YAML (default: the seed's settings)")
    .option('--scale <F>', 'multiply every bin count by F')
    .option('--peak-load <E>', 'rescale so the busiest clock hour offers E workers of load (rate x mean service time)')
    .option('--service-time <S>', 'mean service time, seconds (lognormal)', String(SIM_DEFAULTS.serviceTimeSeconds))
    .option('--service-cv <C>', 'coefficient of variation of the service time', String(SIM_DEFAULTS.serviceCv))
    .option('--startup-seconds <T>', 'seconds from requesting a worker to it taking jobs (paid from the request)', String(SIM_DEFAULTS.startupSeconds))
    .option('--interval-seconds <I>', "seconds between evaluations (default: the config's evaluation_interval_seconds, 15)")
    .option('--slo-seconds <L>', 'latency SLO (end - arrival), seconds', String(SIM_DEFAULTS.sloSeconds))
    .option('--slo-target <P>', 'share of jobs within the SLO that fixed-peak and the tuned baselines must reach', String(SIM_DEFAULTS.sloTarget))
    .option('--seed <N>', 'random seed (arrivals within bins, service times)', String(SIM_DEFAULTS.seed))
    .option('--fixed-workers <N>', "fleet of the fixed policy (default: the scenario's, else max_workers)")
    .option('--max-workers <N>', 'fleet cap for every autoscaler (default: max(max_workers, 2 x busiest-bin load))')
    .option('--enforce-budgets', "apply the config's hourly/daily/monthly budgets (default: budgets never bind)")
    .option('--json', 'print the results as JSON: one object per policy, an array for several')
    .option('--jobs-out <file>', 'write CSV id,arrival,start,end,worker (seconds from trace start; single policy)')
    .option('--workers-out <file>', 'write CSV time,provisioned,ready,busy at every change (single policy)')
    .option('--report <file>', 'write a self-contained HTML report with charts')
    .addHelpText('after', `
Model: jobs arrive uniformly at random inside each bin (seeded), FIFO queue, one job per worker,
lognormal service times; every policy sees the same jobs. Workers are paid from request and ready
after --startup-seconds; a scale-down stops idle workers, then starting ones, then lets busy ones
finish their job (draining). Every policy starts warm with ceil(offered load of the first bin)
workers ready (fixed policies: N). Policies see what a live controller could: queue, in flight,
completions and processing latency over metrics_window_minutes, arrivals over the last minute,
workers, CPU (busy / ready over the last minute), cost per hour.
Billing: "provisioned" counts every paid worker (starting, idle, busy, draining), so
workerHours = sum of provisioned x duration over the --workers-out rows, cost = workerHours x
cost_per_worker_hour, utilization = busy time / paid time, meanWorkers = workerHours / billed span.
Arrivals stop at the end of the trace; evaluations go on until every job has finished; billing ends
at max(end of trace, last completion), where every worker stops (the last --workers-out row).
Latency = end - arrival; percentiles are nearest-rank over completed jobs; sloAttainment counts
unfinished jobs as misses. oracle is a reference with perfect foresight, not a realizable policy.`)
    .action(async (opts: SimulateCliOptions) => {
      await runSimulateCommand(opts, (text) => process.stdout.write(text));
    });
}

function policiesOf(raw: string): string[] {
  const names = raw === 'all' ? [...POLICY_NAMES] : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) {
    if (!POLICY_NAMES.includes(n)) throw new UsageError(`--policy: unknown policy "${n}"; choose one of ${POLICY_NAMES.join(', ')}, or all`);
  }
  if (names.length === 0) throw new UsageError('--policy: give a policy name or all');
  return names;
}

function loadWorkload(opts: SimulateCliOptions): { trace: Trace; fixedWorkers?: number } {
  if ((opts.trace === undefined) === (opts.scenario === undefined)) {
    throw new UsageError('give exactly one of --trace FILE or --scenario NAME');
  }
  if (opts.scenario !== undefined) {
    const s = buildScenario(opts.scenario);
    if (!s) throw new UsageError(`--scenario: unknown scenario "${opts.scenario}"; choose one of ${SCENARIO_NAMES.join(', ')}`);
    return { trace: s.trace, ...(s.fixedWorkers !== undefined ? { fixedWorkers: s.fixedWorkers } : {}) };
  }
  return { trace: loadTraceFile(opts.trace ?? '') };
}

/** Parses options, runs the simulation, writes the outputs. User errors throw UsageError/ConfigError (exit 2). */
export async function runSimulateCommand(opts: SimulateCliOptions, write: (text: string) => void): Promise<SimulationResult> {
  const policies = policiesOf(opts.policy);
  const single = policies.length === 1;
  if (!single && opts.jobsOut !== undefined) throw new UsageError(`--jobs-out needs a single --policy; got "${opts.policy}"`);
  if (!single && opts.workersOut !== undefined) throw new UsageError(`--workers-out needs a single --policy; got "${opts.policy}"`);
  if (opts.scale !== undefined && opts.peakLoad !== undefined) throw new UsageError('--scale and --peak-load are exclusive; give one of them');
  const num = (flag: string, raw: string | undefined, rule: (v: number) => boolean, text: string): number | undefined =>
    parseNumberOption(flag, raw, rule, text);
  const scale = num('--scale', opts.scale, isPositive, 'a number > 0');
  const peakLoad = num('--peak-load', opts.peakLoad, isPositive, 'a number > 0');
  const serviceTimeSeconds = num('--service-time', opts.serviceTime, isPositive, 'a number > 0 (seconds)');
  const serviceCv = num('--service-cv', opts.serviceCv, isNonNegative, 'a number >= 0');
  const startupSeconds = num('--startup-seconds', opts.startupSeconds, isNonNegative, 'a number >= 0 (seconds)');
  const intervalFlag = num('--interval-seconds', opts.intervalSeconds, isPositive, 'a number > 0 (seconds)');
  const sloSeconds = num('--slo-seconds', opts.sloSeconds, isPositive, 'a number > 0 (seconds)');
  const sloTarget = num('--slo-target', opts.sloTarget, (v) => v > 0 && v <= 1, 'in (0, 1]');
  const seed = num('--seed', opts.seed, Number.isSafeInteger, 'an integer');
  const fixedFlag = num('--fixed-workers', opts.fixedWorkers, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0');
  const maxWorkers = num('--max-workers', opts.maxWorkers, isPositiveInt, 'an integer >= 1');

  const file = opts.config !== undefined ? loadAutoscalingConfig(opts.config) : undefined;
  const config = file?.scaling ?? resolveScalingConfig({});
  const { trace, fixedWorkers: scenarioFixed } = loadWorkload(opts);
  const fixedWorkers = fixedFlag ?? scenarioFixed;
  const intervalSeconds = intervalFlag ?? file?.evaluationIntervalSeconds ?? SIM_DEFAULTS.intervalSeconds;

  const progress = createProgress(policies.length);
  const req: SimulationRequest = {
    trace, policies, config,
    metricsWindowMinutes: file?.metricsWindowMinutes ?? 5,
    intervalSeconds,
    ...defined({ scale, peakLoad, serviceTimeSeconds, serviceCv, startupSeconds, sloSeconds, sloTarget, seed, fixedWorkers, maxWorkers }),
    enforceBudgets: opts.enforceBudgets === true,
    recordJobs: opts.jobsOut !== undefined,
    recordWorkerLog: opts.workersOut !== undefined,
    onProgress: progress.update,
  };
  let result: SimulationResult;
  try {
    result = await runSimulation(req);
  } finally {
    progress.stop();
  }

  const run = result.runs[0];
  if (opts.jobsOut !== undefined && run?.jobs) guardWrite('--jobs-out', opts.jobsOut, () => writeJobsCsv(opts.jobsOut ?? '', run.jobs!));
  if (opts.workersOut !== undefined && run?.workerLog) {
    guardWrite('--workers-out', opts.workersOut, () => writeWorkersCsv(opts.workersOut ?? '', run.workerLog!));
  }
  if (opts.report !== undefined) await writeReport(opts.report, result);
  for (const r of result.runs) {
    if (r.tickErrors > 0) process.stderr.write(`bountybot: warning: ${r.policy}: ${r.tickErrors} evaluations failed; last: ${r.lastTickError ?? ''}\n`);
  }
  if (opts.json === true) {
    const objects = result.runs.map((r) => summaryJson(r.summary));
    write(`${JSON.stringify(single ? objects[0] : objects, null, 2)}\n`);
  } else {
    write(`${formatTable(result)}\n`);
  }
  return result;
}

function defined<T extends Record<string, number | undefined>>(o: T): { [K in keyof T]?: number } {
  const out: { [K in keyof T]?: number } = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, number>)[k] = v;
  return out;
}

function guardWrite(flag: string, path: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    throw new UsageError(`${flag}: cannot write ${path}: ${(err as Error).message}`);
  }
}

async function writeReport(path: string, result: SimulationResult): Promise<void> {
  let render: ReportRenderer | undefined;
  try {
    const mod = (await import(REPORT_MODULE)) as { renderSimulationReport?: ReportRenderer };
    render = mod.renderSimulationReport;
  } catch {
    render = undefined;
  }
  if (!render) throw new UsageError('--report: the HTML report is not available in this build');
  const html = await render(result);
  const { writeFileSync } = await import('node:fs');
  guardWrite('--report', path, () => writeFileSync(path, html));
}

/** A progress bar on stderr, shown only on a TTY and only once a run has taken over a second. */
function createProgress(policies: number): { update: (index: number, fraction: number) => void; stop: () => void } {
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  const enabled = process.stderr.isTTY === true;
  return {
    update(index, fraction) {
      if (!enabled) return;
      const value = Math.round(((index + fraction) / policies) * 1000);
      if (!bar) {
        if (Date.now() - started < 1000) return;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: 'simulating [{bar}] {percentage}% | {duration}s', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(1000, value);
      }
      bar.update(value);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
