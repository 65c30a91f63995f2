/**
 * Shadow mode next to a fixed fleet: N hand-started `bountybot worker` processes on the SQLite
 * queue, a known load, and a controller in shadow mode that must never act. Its counterfactual
 * must match a simulation of the known load (same settings) within the stated tolerance, and
 * `bountybot replay` + `bountybot simulate` with the printed settings must reproduce it exactly.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseAutoscalingConfig, type AutoscalingConfig } from '../src/config/load.js';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { runLoad } from '../src/runtime/load-generator.js';
import type { DecisionRecord } from '../src/control/interfaces.js';
import type { RuntimeStatus, ShadowStatus } from '../src/control/runtime-api.js';
import { runSimulation } from '../src/sim/run.js';
import { buildTrace, parseTraceCsv } from '../src/sim/trace.js';
import { buildWorkload } from '../src/sim/workload.js';
import { launchController, type LaunchedController } from '../src/startup/launch.js';
import { DEFAULT_WORKER_SETTINGS } from '../src/startup/wiring.js';
import { launchChromium } from './helpers/browser.js';
import { fastEngineYaml, listeningUrl } from './helpers/fast-engine.js';
import { sampleValue } from './server-fakes.js';
import { killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';

/** Tolerance of the counterfactual against `simulate` on the known load (different random draws of the same rates). */
const TOLERANCE = { costRelative: 0.15, meanWorkersRelative: 0.15, peakWorkers: 1, sloAttainment: 0.02 };
const FIXED_FLEET = 4;
const SERVICE_SECONDS = 0.4;

const YAML = (db: string): string => fastEngineYaml(db, { maxWorkers: 6, hourlyBudget: 50 });

/** Arrivals per second, one value per 2-second bin: calm, a burst, calm (36 s). */
const KNOWN_LOAD = [1, 1, 1, 1, 6, 6, 6, 6, 6, 6, 6, 6, 1, 1, 1, 1, 1, 1];
const BIN_MS = 2000;

let dir: string;
let config: AutoscalingConfig;
let controller: LaunchedController;
const workers: CliProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-shadow-'));
  const db = join(dir, 'shadow.db');
  config = parseAutoscalingConfig(YAML(db), '<shadow test>');
  // The fleet something else scales: a fixed N, started by hand before the shadow controller looks.
  const probe = SqliteStore.open({ path: db });
  try {
    for (let i = 0; i < FIXED_FLEET; i++) {
      workers.push(spawnCli(['worker', '--db', db, '--poll-ms', '50', '--heartbeat-seconds', '0.5'], { BOUNTYBOT_DEMO_MEAN_SECONDS: String(SERVICE_SECONDS) }));
    }
    await waitFor(`${FIXED_FLEET} ready workers`, async () => (await probe.workerCounts()).ready === FIXED_FLEET, 30_000, 100);
  } finally {
    probe.close();
  }
  controller = await launchController({
    config, dryRun: false, shadow: { recomputeMs: 1000, configPath: join(dir, 'shadow.yaml') }, worker: DEFAULT_WORKER_SETTINGS,
    logger: pino({ level: 'silent' }), rateWindowMs: 15_000, http: { host: '127.0.0.1', port: 0 },
  });
});

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => Promise.race([w.exited, new Promise((r) => setTimeout(r, 5000))])));
  killAll(workers.map((w) => w.child.pid).filter((p): p is number => p !== undefined && pidAlive(p)));
  await controller?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const status = async (): Promise<RuntimeStatus> => (await fetch(`${controller.http?.url ?? ''}/api/status`)).json() as Promise<RuntimeStatus>;

describe('shadow mode next to a fixed fleet', () => {
  let report: ShadowStatus;
  let loadStartMs: number;

  it('observes without acting while the known load runs', async () => {
    const trace = buildTrace('known', KNOWN_LOAD.map((_, i) => i * BIN_MS), KNOWN_LOAD.map((r) => (r * BIN_MS) / 1000));
    const w = buildWorkload(trace, { serviceTimeSeconds: SERVICE_SECONDS, serviceCv: 0, seed: 5 });
    loadStartMs = Date.now();
    const enqueued = await runLoad(controller.backend.queue, { source: 'known', arrivalMs: w.arrivalMs, endMs: trace.endMs }, { speed: 1 });
    expect(enqueued).toBe(w.jobs);
    await waitFor('the queue to drain', async () => {
      const c = await controller.backend.queue.counts();
      return c.waiting + c.inFlight === 0;
    }, 30_000, 200);
    const doneMs = Date.now() + 2000;
    const s = await waitFor('a counterfactual computed after the load', async () => {
      const st = await status();
      return st.shadow?.computedAt !== undefined && Date.parse(st.shadow.computedAt) > doneMs ? st : undefined;
    }, 20_000, 250);
    report = s.shadow as ShadowStatus;
    expect(s.mode).toBe('shadow');
    expect((await controller.backend.registry.workerCounts()).ready).toBe(FIXED_FLEET);
    const { decisions } = (await (await fetch(`${controller.http?.url ?? ''}/api/decisions?limit=1000`)).json()) as { decisions: DecisionRecord[] };
    expect(decisions.length).toBeGreaterThan(20);
    for (const d of decisions) {
      expect(d.dryRun).toBe(true);
      expect(d.gates?.at(-1)?.gate).toBe('shadow');
    }
    // Our policy wanted to change the fleet at some point; the gate kept it as it was.
    expect(decisions.some((d) => d.targetWorkers !== FIXED_FLEET)).toBe(true);
  }, 90_000);

  it('reports the observed fleet as it ran', () => {
    const o = report.observed;
    expect(o).toBeDefined();
    if (!o) return;
    expect(o.peakWorkers).toBe(FIXED_FLEET);
    expect(o.meanWorkers).toBeGreaterThan(FIXED_FLEET - 0.1);
    expect(o.meanWorkers).toBeLessThanOrEqual(FIXED_FLEET + 1e-9);
    const hours = (Date.parse(report.until) - Date.parse(report.since)) / 3_600_000;
    expect(o.cost).toBeCloseTo(o.meanWorkers * hours * 2, 6);
    expect(o.jobs).toBeGreaterThan(100);
  });

  it('matches a simulation of the known load with the same settings, within the stated tolerance', async () => {
    const c = report.counterfactual;
    const st = report.settings;
    expect(c && st).toBeTruthy();
    if (!c || !st) return;
    // The known load on the replay's grid: each 2-second bin split over the 1-second bins it covers, from when the load began.
    const since = Date.parse(report.since);
    const until = Date.parse(report.until);
    const bins = (until - since) / 1000;
    const counts = new Array<number>(bins).fill(0);
    const offset = Math.round((loadStartMs - since) / 1000);
    KNOWN_LOAD.forEach((rate, i) => {
      for (let k = 0; k < BIN_MS / 1000; k++) {
        const b = offset + i * (BIN_MS / 1000) + k;
        if (b >= 0 && b < bins) counts[b] = (counts[b] ?? 0) + rate;
      }
    });
    const known = buildTrace('known on the replay grid', counts.map((_, i) => since + i * 1000), counts);
    const sim = await runSimulation({
      trace: known, policies: ['bountybot'], config: config.scaling, metricsWindowMinutes: config.metricsWindowMinutes,
      intervalSeconds: st.intervalSeconds, serviceTimeSeconds: st.serviceTimeSeconds, serviceCv: st.serviceCv,
      startupSeconds: st.startupSeconds, sloSeconds: report.sloSeconds, sloTarget: report.sloTarget, seed: st.seed,
      maxWorkers: st.maxWorkers, enforceBudgets: true,
    });
    const s = sim.runs[0]?.summary;
    expect(s).toBeDefined();
    if (!s) return;
    const figures = {
      counterfactual: { cost: c.cost, meanWorkers: c.meanWorkers, peakWorkers: c.peakWorkers, slo: c.sloAttainment, jobs: c.jobs },
      simulate: { cost: s.cost, meanWorkers: s.meanWorkers, peakWorkers: s.peakWorkers, slo: s.sloAttainment, jobs: s.jobs },
      observed: report.observed,
    };
    process.stdout.write(`shadow vs simulate: ${JSON.stringify(figures)}\n`);
    expect(Math.abs(c.cost - s.cost) / s.cost).toBeLessThanOrEqual(TOLERANCE.costRelative);
    expect(Math.abs(c.meanWorkers - s.meanWorkers) / s.meanWorkers).toBeLessThanOrEqual(TOLERANCE.meanWorkersRelative);
    expect(Math.abs(c.peakWorkers - s.peakWorkers)).toBeLessThanOrEqual(TOLERANCE.peakWorkers);
    expect(Math.abs(c.sloAttainment - s.sloAttainment)).toBeLessThanOrEqual(TOLERANCE.sloAttainment);
    expect(c.jobs).toBe(report.settings?.jobs);
    expect(report.simulationThread).toBe('worker');
    // A fixed fleet sized for the burst costs more than following the load.
    expect(report.costDifference).toBeLessThan(0);
  });

  it('is reproduced exactly by `bountybot replay` + `bountybot simulate` with the printed settings', async () => {
    const cmds = (report.reproduce ?? '').split(' && ').map((c) => c.split(' ').slice(1));
    expect(cmds).toHaveLength(2);
    const [replayArgs, simulateArgs] = cmds as [string[], string[]];
    const csv = join(dir, 'shadow-trace.csv');
    const withOut = replayArgs.map((a) => (a === 'shadow-trace.csv' ? csv : a));
    const replay = spawnCli(withOut);
    expect((await replay.exited).code).toBe(0);
    const trace = parseTraceCsv(readFileSync(csv, 'utf8'), csv);
    expect(trace.binSeconds).toBe(report.settings?.binSeconds);
    const simArgs = simulateArgs.map((a) => (a === 'shadow-trace.csv' ? csv : a)).filter((a, i, all) => a !== '--config' && all[i - 1] !== '--config');
    // The YAML the controller ran with, as a file for `--config`.
    const yaml = join(dir, 'shadow.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(yaml, YAML(join(dir, 'shadow.db')));
    const sim = spawnCli([...simArgs, '--config', yaml, '--json']);
    expect((await sim.exited).code, sim.stderr()).toBe(0);
    const out = JSON.parse(sim.stdout()) as { cost: number; sloAttainment: number; peakWorkers: number; jobs: number };
    expect(out.jobs).toBe(report.counterfactual?.jobs);
    expect(out.cost).toBeCloseTo(report.counterfactual?.cost ?? Number.NaN, 9);
    expect(out.sloAttainment).toBe(report.counterfactual?.sloAttainment);
    expect(out.peakWorkers).toBe(report.counterfactual?.peakWorkers);
  }, 30_000);

  it('shows the comparison on the dashboard', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(controller.http?.url ?? '');
      await page.waitForSelector('body[data-rendered="yes"]');
      expect(await page.locator('#mode').textContent()).toBe('shadow');
      expect(await page.locator('#shadow').isVisible()).toBe(true);
      expect(await page.locator('#backend').textContent()).toMatch(/actuator: worker registry \(read-only\).*state.*in memory only/);
      const cards = (await page.locator('#shadow-cards .card').allTextContents()).join(' | ');
      expect(cards).toMatch(/Observed fleet.*bountybot would run.*Cost difference so far.*SLO observed.*SLO bountybot would meet/);
      const points = await page.evaluate(`Chart.getChart('chart-shadow').data.datasets.map((d) => d.data.filter((p) => p.y !== null).length)`) as number[];
      expect(points[0]).toBeGreaterThan(10);
      expect(points[1]).toBeGreaterThan(10);
    } finally {
      await browser.close();
    }
  });

  it('exports the comparison as Prometheus metrics', async () => {
    const text = await (await fetch(`${controller.http?.url ?? ''}/metrics`)).text();
    const now = (await status()).shadow;
    expect(sampleValue(text, 'bountybot_autoscaling_shadow_peak_workers{fleet="observed"}')).toBe(FIXED_FLEET);
    expect(sampleValue(text, 'bountybot_autoscaling_shadow_cost_dollars{fleet="counterfactual"}')).toBeCloseTo(now?.counterfactual?.cost ?? Number.NaN, 9);
    expect(sampleValue(text, 'bountybot_autoscaling_shadow_slo_attainment_ratio{fleet="observed"}')).toBe(now?.observed?.sloAttainment);
  });

  it('`run --shadow` starts a controller that owns no workers; `--shadow --dry-run` is refused', async () => {
    const db = join(dir, 'cli.db');
    const run = spawnCli(['run', '--shadow', '--db', db, '--port', '0', '--interval-seconds', '0.5']);
    try {
      const url = await waitFor('the shadow controller to listen', () => listeningUrl(run.stdout(), run.child.exitCode, run.stderr()), 20_000, 100);
      const s = await waitFor('a shadow decision', async () => {
        const st = (await (await fetch(`${url}/api/status`)).json()) as RuntimeStatus;
        return st.decisions.length > 0 ? st : undefined;
      }, 10_000, 100);
      expect(s.mode).toBe('shadow');
      expect(s.decisions[0]?.gates?.at(-1)?.reason).toMatch(/^shadow: would scale 0 -> 1, not acting$/);
      const probe = SqliteStore.open({ path: db });
      try {
        expect(await probe.listWorkers()).toEqual([]);
      } finally {
        probe.close();
      }
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    const both = spawnCli(['run', '--shadow', '--dry-run', '--db', join(dir, 'x.db'), '--port', '0']);
    expect((await both.exited).code).toBe(2);
    expect(both.stderr()).toMatch(/--shadow and --dry-run are exclusive/);
  }, 30_000);
});
