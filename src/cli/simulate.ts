/**
 * `bountybot simulate`: replays a trace or a built-in scenario through the control loop with each
 * policy (same jobs for all) and reports cost, utilization and latency against the SLO.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { formatTable, runJson, writeJobsCsv, writeWorkersCsv } from '../sim/output.js';
import { POLICY_ALIASES, POLICY_NAMES } from '../sim/policies/registry.js';
import { runSimulation, type EngineVariant, type SimulationRequest } from '../sim/run.js';
import { buildScenario, SCENARIO_NAMES } from '../sim/scenarios.js';
import { loadTraceFile, type Trace } from '../sim/trace.js';
import type { SimulationResult } from '../sim/types.js';
import { UsageError } from '../autoscaling/errors.js';
import { createProgress } from './progress.js';
import { addSimulationOptions, loadConfigOption, requestFromOptions, SIM_RULES, simNumberOption, type SimCliOptions } from './sim-options.js';

export interface SimulateCliOptions extends SimCliOptions {
  trace?: string;
  scenario?: string;
  policy: string;
  fixedWorkers?: number;
  enforceBudgets?: boolean;
  outOfSample: boolean;
  json?: boolean;
  jobsOut?: string;
  workersOut?: string;
  report?: string;
}

/** Module and export the `--report` hook loads (written separately; see src/sim/report*.ts). */
const REPORT_MODULE = '../sim/report.js';
type ReportRenderer = (result: SimulationResult) => string | Promise<string>;

export function registerSimulate(program: Command): void {
  const cmd = program
    .command('simulate')
    .description('replay a trace or scenario through each scaling policy (same jobs for all) and compare cost, utilization and SLO')
    .option('--trace <file>', 'CSV "timestamp,count" per bin (any bin width, detected)')
    .option('--scenario <name>', `built-in workload: ${SCENARIO_NAMES.join(', ')}`)
    .option('--policy <names>', `comma-separated: ${POLICY_NAMES.join(', ')}, or all; bountybot@FILE runs our engine with another config (A/B)`, 'all');
  addSimulationOptions(cmd)
    .addOption(simNumberOption('--fixed-workers <N>', "fleet of the fixed policy (default: the scenario's, else fixed-peak's N)", SIM_RULES.workers))
    .option('--enforce-budgets', "apply the config's hourly/daily/monthly budgets (default: budgets never bind)")
    .option('--no-out-of-sample', 'skip tuning the tuned baselines again on the first half (their out-of-sample rows)')
    .option('--json', 'print the results as JSON: one object per policy, an array for several')
    .option('--jobs-out <file>', 'write CSV id,arrival,start,end,worker (seconds from trace start; single policy); kubernetes scale-down adds killed attempts and an outcome column')
    .option('--workers-out <file>', 'write CSV time,provisioned,ready,busy at every change (single policy)')
    .option('--report <file>', 'write a self-contained HTML report with charts')
    .addHelpText('after', `
Model: jobs arrive uniformly at random inside each bin (seeded), FIFO queue, one job per worker,
lognormal service times; every policy sees the same jobs. Workers are paid from request and ready
after --startup-seconds. Scale-down drain: idle workers stop, then starting ones, then busy ones
finish their job (draining). Scale-down kubernetes: the workers removed are those a ReplicaSet
deletes (starting ones, then the most recently ready, busy or not); a busy one gets SIGTERM, is
paid until its job ends or --grace-seconds pass, then is killed and its job retried at its
original place in the queue (the killed attempt is paid). Every policy starts warm with
ceil(offered load of the first bin) workers ready (fixed policies: N). Policies see what a live
controller could: queue, in flight, completions and processing latency over
metrics_window_minutes, arrivals over the last minute, workers, CPU (busy / ready over the last
minute), cost per hour.
Billing: "provisioned" counts every paid worker (starting, idle, busy, draining), so
workerHours = sum of provisioned x duration over the --workers-out rows, cost = workerHours x
cost_per_worker_hour, utilization = busy time / paid time, meanWorkers = workerHours / billed span.
Arrivals stop at the end of the trace; evaluations go on until every job has finished; billing ends
at max(end of trace, last completion), where every worker stops (the last --workers-out row).
Latency = end - arrival; percentiles are nearest-rank over completed jobs; sloAttainment counts
unfinished jobs as misses. floor = busy worker-time x price (no policy can cost less).
Second half: every run is also scored on the jobs arriving in the second half of the trace and the
worker-time paid in it; hpa-tuned and keda-tuned are also tuned on the first half only and that
setting is scored on the second half (oos). zero-wait (alias: oracle) is a reference that sees
the future, not a realizable policy and not a cost bound.`)
    .action(async (opts: SimulateCliOptions) => {
      await runSimulateCommand(opts, (text) => process.stdout.write(text));
    });
}

interface PolicyList {
  names: string[];
  variants: EngineVariant[];
}

/** `--policy`: names (aliases mapped), `all`, and `bountybot@FILE` A/B variants. */
function policiesOf(raw: string): PolicyList {
  const names: string[] = [];
  const variants: EngineVariant[] = [];
  const items = raw === 'all' ? [...POLICY_NAMES] : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) {
    const at = item.indexOf('@');
    if (at >= 0) {
      const base = item.slice(0, at);
      const file = item.slice(at + 1);
      if (base !== 'bountybot' || file === '') {
        throw new UsageError(`--policy: "${item}": A/B variants are written bountybot@FILE (our engine with the config FILE)`);
      }
      const loaded = loadConfigOption(file);
      let label = `bountybot@${basename(file)}`;
      if (names.includes(label)) label = `bountybot@${file}`;
      variants.push({ label, config: loaded.scaling, explicitKeys: loaded.explicitKeys });
      names.push(label);
      continue;
    }
    const name = POLICY_ALIASES[item] ?? item;
    if (!POLICY_NAMES.includes(name)) throw new UsageError(`--policy: unknown policy "${item}"; choose from ${POLICY_NAMES.join(', ')}, or all, or bountybot@FILE`);
    names.push(name);
  }
  if (names.length === 0) throw new UsageError('--policy: give a policy name or all');
  if (new Set(names).size !== names.length) throw new UsageError(`--policy: a policy is listed twice in "${raw}"`);
  return { names, variants };
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
  const { names: policies, variants } = policiesOf(opts.policy);
  const single = policies.length === 1;
  if (!single && opts.jobsOut !== undefined) throw new UsageError(`--jobs-out needs a single --policy; got "${opts.policy}"`);
  if (!single && opts.workersOut !== undefined) throw new UsageError(`--workers-out needs a single --policy; got "${opts.policy}"`);
  if (opts.scale !== undefined && opts.peakLoad !== undefined) throw new UsageError('--scale and --peak-load are exclusive; give one of them');

  const loaded = loadConfigOption(opts.config);
  const { trace, fixedWorkers: scenarioFixed } = loadWorkload(opts);
  const fixedWorkers = opts.fixedWorkers ?? scenarioFixed;
  const progress = createProgress('simulating');
  const req: SimulationRequest = {
    ...requestFromOptions(opts, loaded),
    trace, policies, variants,
    ...(fixedWorkers !== undefined ? { fixedWorkers } : {}),
    enforceBudgets: opts.enforceBudgets === true,
    outOfSample: opts.outOfSample !== false,
    recordJobs: opts.jobsOut !== undefined,
    recordWorkerLog: opts.workersOut !== undefined,
    onProgress: (i, f) => progress.update((i + f) / policies.length),
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
    const objects = result.runs.map((r) => runJson(r, result));
    write(`${JSON.stringify(single ? objects[0] : objects, null, 2)}\n`);
  } else {
    write(`${formatTable(result)}\n`);
  }
  return result;
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
