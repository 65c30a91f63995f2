/**
 * `bountybot start` (what `npm start` runs): the live controller with real worker processes on a
 * throw-away database, fed a short traffic spike, printing one compact line per evaluation.
 * Shows the fleet scaling up for the spike and back down after it in about two minutes, then
 * stops every worker and exits (Ctrl-C stops it early, also stopping the workers).
 */
import { Option, type Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAutoscalingConfig, type AutoscalingConfig } from '../config/load.js';
import type { TickResult } from '../control/loop.js';
import { launchController, type LaunchedController, type LaunchSettings } from '../startup/launch.js';
import { runLoad } from '../runtime/load-generator.js';
import { createLogger } from '../startup/logging.js';
import { DEFAULT_WORKER_SETTINGS } from '../startup/wiring.js';
import { buildTrace } from '../sim/trace.js';
import { buildWorkload } from '../sim/workload.js';
import { ServerListenError } from '../server/http.js';
import { decimal, RULES } from './options.js';
import { onShutdownSignal } from './runtime-options.js';

/** Engine settings scaled down from minutes to seconds so the whole story fits in ~2 minutes. */
export const DEMO_CONFIG = `
autoscaling:
  min_workers: 1
  max_workers: 8
  target_queue_depth: 10
  target_latency_seconds: 5
  cooldown_minutes: 0.1
  scale_up_cooldown_minutes: 0.05
  worker_startup_seconds: 3
  target_wait_seconds: 3
  backlog_drain_seconds: 15
  default_service_seconds: 1
  scale_down_stabilization_seconds: 10
  prediction_horizon_minutes: 1
  metrics_window_minutes: 1
  evaluation_interval_seconds: 2
  cost_config:
    hourly_budget: 100
    daily_budget: 2000
    monthly_budget: 50000
    cost_per_worker_hour: 2
`;

/** Arrivals per second over the demo, per 5-second bin: calm, a spike, calm again. */
const DEMO_PHASES: ReadonlyArray<{ seconds: number; perSecond: number }> = [
  { seconds: 20, perSecond: 1 },
  { seconds: 45, perSecond: 6 },
  { seconds: 60, perSecond: 0.5 },
];
const DEMO_MEAN_SERVICE_SECONDS = '1';
const MAX_DEMO_MS = 3 * 60_000;
/** After the traffic, end once the fleet is at its minimum or has not changed for this long. */
const SETTLED_MS = 30_000;

interface StartCliOptions { port?: number; db?: string; keep?: boolean }

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('live demo: real worker processes scaled up and down by the controller through a short traffic spike (~2 min)')
    .option('--port <n>', 'HTTP port for /metrics and /api/status during the demo (default 8088, or any free port if busy)', decimal(RULES.port))
    .option('--db <path>', 'database file (default: a fresh temporary one, removed afterwards)')
    .addOption(new Option('--keep', 'keep the temporary database and logs').conflicts('db'))
    .action(async (opts: StartCliOptions) => { await runStartDemo(opts); });
}

function demoPlan(): { arrivalMs: Float64Array; endMs: number } {
  const times: number[] = [];
  const counts: number[] = [];
  let t = 0;
  for (const phase of DEMO_PHASES) {
    for (let s = 0; s < phase.seconds; s += 5) {
      times.push(t * 1000);
      counts.push(phase.perSecond * 5);
      t += 5;
    }
  }
  const trace = buildTrace('demo-spike', times, counts);
  const w = buildWorkload(trace, { serviceTimeSeconds: 1, serviceCv: 0, seed: 7 });
  return { arrivalMs: w.arrivalMs, endMs: trace.endMs };
}

async function runStartDemo(opts: StartCliOptions): Promise<void> {
  const port = opts.port;
  const dir = opts.db === undefined ? mkdtempSync(join(tmpdir(), 'bountybot-demo-')) : undefined;
  const dbPath = opts.db ?? join(dir as string, 'demo.db');
  const logDir = dir ?? join(dbPath, '..');
  const config: AutoscalingConfig = { ...parseAutoscalingConfig(DEMO_CONFIG, '<demo>'), databasePath: dbPath };
  const logger = createLogger('controller', {}, { file: join(logDir, 'controller.log') });
  const out = (line: string): void => { process.stdout.write(`${line}\n`); };
  // Decision lines wait until the header (which needs the bound port) is out.
  let held: string[] | undefined = [];
  const live = (line: string): void => { if (held) held.push(line); else out(line); };
  const started = Date.now();
  const stats = { peak: 0, ups: 0, downs: 0 };
  const settings = (httpPort: number): LaunchSettings => ({
    config, dryRun: false, logger, rateWindowMs: 15_000,
    worker: {
      ...DEFAULT_WORKER_SETTINGS, leaseSeconds: 15, heartbeatSeconds: 1, pollMs: 100, drainTimeoutSeconds: 10,
      orphanTimeoutSeconds: 20, output: join(logDir, 'workers.log'),
      env: { ...process.env, BOUNTYBOT_DEMO_MEAN_SECONDS: process.env.BOUNTYBOT_DEMO_MEAN_SECONDS ?? DEMO_MEAN_SERVICE_SECONDS },
    },
    http: { host: config.httpHost, port: httpPort, ...(config.apiToken !== undefined ? { token: config.apiToken } : {}) },
    onTick: (r) => live(liveLine(r, started, stats)),
  });

  out('BountyBot autoscaler demo: a real controller scaling real worker processes (demo handler: ~1 s simulated AI latency).');
  out(`Traffic: ${DEMO_PHASES.map((p) => `${p.perSecond}/s for ${p.seconds}s`).join(', then ')}. Workers 1..8. Ctrl-C stops early.`);
  let controller: LaunchedController;
  try {
    controller = await launchController(settings(port ?? config.httpPort));
  } catch (err) {
    if (port !== undefined || !(err instanceof ServerListenError && err.code === 'HTTP_PORT_IN_USE')) throw err;
    controller = await launchController(settings(0));
  }
  out(`Database ${dbPath}; logs in ${logDir}; dashboard at ${controller.http?.url ?? '(no http)'}/ and metrics at ${controller.http?.url ?? '(no http)'}/metrics\n`);
  for (const line of held) out(line);
  held = undefined;

  const abort = new AbortController();
  const off = onShutdownSignal(() => { out('\nstopping: draining workers…'); abort.abort(); }, () => process.exit(130));
  try {
    const plan = demoPlan();
    const enqueued = await runLoad(controller.backend.queue, { source: 'demo-spike', ...plan }, { speed: 1, signal: abort.signal });
    await settle(controller, config, abort.signal, started);
    const c = await controller.backend.queue.counts();
    const lost = enqueued - (c.completed + c.deadLettered + c.waiting + c.inFlight);
    out(`\nDone in ${Math.round((Date.now() - started) / 1000)} s: ${enqueued} jobs enqueued, ${c.completed} completed, `
      + `${c.waiting + c.inFlight} unfinished, ${c.deadLettered} dead-lettered, ${lost} lost; `
      + `peak ${stats.peak} workers, ${stats.ups} scale-ups, ${stats.downs} scale-downs.`);
  } finally {
    off();
    await controller.shutdown({ stopWorkers: true, drainTimeoutMs: 15_000 });
    if (dir !== undefined && !opts.keep) rmSync(dir, { recursive: true, force: true });
    out(`All workers stopped.${dir !== undefined && opts.keep ? ` Kept ${dir}` : ''}`);
  }
}

/**
 * After the load: wait until the queue is empty and the fleet is back at its minimum, or has held
 * steady for SETTLED_MS (the engine keeps workers while its forecast still expects traffic).
 */
async function settle(c: LaunchedController, config: AutoscalingConfig, signal: AbortSignal, started: number): Promise<void> {
  let lastSize = -1;
  let steadySince = Date.now();
  while (!signal.aborted && Date.now() - started < MAX_DEMO_MS) {
    const q = await c.backend.queue.counts();
    const f = (await c.runtime.status()).fleet;
    if (f.provisioned !== lastSize || f.draining > 0) { lastSize = f.provisioned; steadySince = Date.now(); }
    const drained = q.waiting + q.inFlight === 0 && f.draining === 0;
    if (drained && (f.provisioned <= config.scaling.minWorkers || Date.now() - steadySince >= SETTLED_MS)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function liveLine(r: TickResult, started: number, stats: { peak: number; ups: number; downs: number }): string {
  const t = `${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s`;
  if (!r.decision || !r.observation) return `${t}  evaluation failed: ${r.error ?? 'unknown'}`;
  const o = r.observation;
  const f = r.fleet;
  stats.peak = Math.max(stats.peak, f.provisioned);
  const acted = r.applied !== undefined;
  if (acted && r.decision.action === 'scale_up') stats.ups++;
  if (acted && r.decision.action === 'scale_down') stats.downs++;
  const bar = '█'.repeat(f.ready) + '▒'.repeat(Math.max(0, f.provisioned - f.ready)) + '░'.repeat(f.draining);
  const reasons = r.decision.reasoning;
  // A first start with no workers is not an emergency, whatever the engine's sizing stage calls it.
  const coldStart = acted && r.decision.action === 'scale_up' && o.activeWorkers === 0;
  const why = (coldStart ? `cold start: no workers yet, starting ${r.applied ?? 0}` : undefined)
    ?? reasons.find((s) => /panic/i.test(s))
    ?? (acted ? reasons.find((s) => /^Scaling (up|down)/.test(s)) : reasons.find((s) => /cooldown|stabiliz|paused|override/i.test(s)))
    ?? reasons.at(-1) ?? '';
  const what = acted ? `${r.decision.action.replace('_', '-')} → ${r.applied}` : 'hold';
  return `${t}  queue ${String(o.queueDepth).padStart(4)}  running ${String(o.inFlight ?? 0).padStart(2)}  `
    + `in ${String(Math.round(o.arrivalsPerMinute)).padStart(4)}/min  done ${String(Math.round(o.validationsPerMinute)).padStart(4)}/min  `
    + `workers ${String(f.provisioned).padStart(2)} ${bar.padEnd(10)} ${what.padEnd(16)} ${truncate(why, 70)}`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

