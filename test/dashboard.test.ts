/**
 * The live dashboard in a real browser against a real controller (`bountybot run`, worker
 * processes, the SQLite queue) under load: charts drawn from data, the decision log with its
 * reasons, the control buttons with and without the token, history kept over a reload and a
 * controller restart, phone width, and axe-core's accessibility rules.
 * `UPDATE_SCREENSHOTS=1` writes docs/dashboard-1280.png and docs/dashboard-phone.png.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { CONTROL_DISABLED_MESSAGE } from '../src/server/auth.js';
import { runLoad } from '../src/runtime/load-generator.js';
import { buildTrace } from '../src/sim/trace.js';
import { buildWorkload } from '../src/sim/workload.js';
import { CANVAS_PIXELS, launchChromium } from './helpers/browser.js';
import { fastEngineYaml, listeningUrl } from './helpers/fast-engine.js';
import { killAll, pidAlive, REPO_ROOT, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';

const TOKEN = 'dash-test-token';
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(REPO_ROOT, 'docs') : mkdtempSync(join(tmpdir(), 'bb-dash-shots-'));
mkdirSync(SHOTS, { recursive: true });

let dir: string;
let dbPath: string;
let configPath: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let controller: CliProcess;
let url: string;
const procs: CliProcess[] = [];

const CONFIG = (db: string): string => fastEngineYaml(db, { maxWorkers: 4, hourlyBudget: 20, extra: ['  http_port: 0'] });

async function startController(): Promise<{ proc: CliProcess; url: string }> {
  const proc = spawnCli(['run', '--config', configPath, '--worker-lease-seconds', '5', '--worker-drain-timeout-seconds', '3',
    '--worker-log', join(dir, 'workers.log')], { BOUNTYBOT_API_TOKEN: TOKEN, BOUNTYBOT_DEMO_MEAN_SECONDS: '0.4' });
  procs.push(proc);
  const url = await waitFor('the controller to listen', () => listeningUrl(proc.stdout(), proc.child.exitCode, proc.stderr()), 30_000, 100);
  return { proc, url };
}

async function stopController(proc: CliProcess): Promise<void> {
  proc.child.kill('SIGTERM');
  await proc.exited;
}

/** Calm, a burst that needs more workers, calm: 24 s in 2-second bins. */
function loadPlan(): { source: string; arrivalMs: Float64Array; endMs: number } {
  const perSecond = [1, 1, 1, 7, 7, 7, 7, 7, 7, 1, 1, 1];
  const trace = buildTrace('dashboard-test', perSecond.map((_, i) => i * 2000), perSecond.map((r) => r * 2));
  const w = buildWorkload(trace, { serviceTimeSeconds: 0.4, serviceCv: 0, seed: 3 });
  return { source: 'dashboard-test', arrivalMs: w.arrivalMs, endMs: trace.endMs };
}

interface DatasetInfo { label: string; points: number; firstX: number | null }
async function datasets(p: Page, id: string): Promise<DatasetInfo[]> {
  return p.evaluate(`(() => {
    const c = Chart.getChart(${JSON.stringify(id)});
    return c ? c.data.datasets.map((d) => {
      const pts = d.data.filter((x) => x && x.y !== null && x.y !== undefined);
      return { label: d.label, points: pts.length, firstX: pts.length ? pts[0].x : null };
    }) : [];
  })()`);
}
const firstX = (ds: DatasetInfo[], label: string): number => ds.find((d) => d.label === label)?.firstX ?? Number.NaN;
const pointsOf = (ds: DatasetInfo[], label: string): number => ds.find((d) => d.label === label)?.points ?? 0;

async function openDashboard(p: Page): Promise<void> {
  await p.goto(url);
  await p.waitForSelector('body[data-rendered="yes"]', { timeout: 20_000 });
}

async function controlResult(p: Page): Promise<{ status: string; text: string }> {
  const el = p.locator('#control-result[data-status]');
  await el.waitFor();
  const r = { status: (await el.getAttribute('data-status')) ?? '', text: (await el.textContent()) ?? '' };
  await p.evaluate('document.getElementById("control-result").removeAttribute("data-status")');
  return r;
}

async function status(): Promise<{ pause: { paused: boolean }; instanceId: string }> {
  return (await fetch(`${url}/api/status`)).json() as Promise<{ pause: { paused: boolean }; instanceId: string }>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-dash-'));
  dbPath = join(dir, 'dash.db');
  configPath = join(dir, 'dash.yaml');
  writeFileSync(configPath, CONFIG(dbPath));
  browser = await launchChromium();
  ({ proc: controller, url } = await startController());
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'UTC', locale: 'en-GB' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 8000))])));
  killAll(procs.map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined && pidAlive(pid)));
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard against a live controller under load', () => {
  const errors: string[] = [];
  const foreign: string[] = [];

  it('draws every chart from data and logs decisions with their reasons', async () => {
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => { if (!r.url().startsWith(url)) foreign.push(r.url()); });
    const store = SqliteStore.open({ path: dbPath });
    try {
      const loading = runLoad(store.queue, loadPlan(), { speed: 1 });
      await openDashboard(page);
      await loading;
    } finally {
      store.close();
    }
    await waitFor('a scale-up marker and finished jobs on the charts', async () => {
      const fleet = await datasets(page, 'chart-fleet');
      const slo = await datasets(page, 'chart-slo');
      return pointsOf(fleet, 'scale up') > 0 && pointsOf(slo, 'within SLO, per point (%)') > 3;
    }, 30_000, 500);

    const fleet = await datasets(page, 'chart-fleet');
    expect(pointsOf(fleet, 'provisioned')).toBeGreaterThan(10);
    expect(pointsOf(fleet, 'busy')).toBeGreaterThan(10);
    expect(pointsOf(fleet, 'desired')).toBeGreaterThan(10);
    expect(pointsOf(await datasets(page, 'chart-queue'), 'jobs waiting')).toBeGreaterThan(10);
    const latency = await datasets(page, 'chart-latency');
    expect(pointsOf(latency, 'end-to-end p95')).toBeGreaterThan(3);
    expect(pointsOf(latency, 'SLO')).toBe(2);
    const forecast = await datasets(page, 'chart-forecast');
    expect(pointsOf(forecast, 'arrivals / min')).toBeGreaterThan(10);
    expect(pointsOf(forecast, 'forecast / min')).toBeGreaterThan(10);
    expect(pointsOf(await datasets(page, 'chart-budget'), 'hourly spent (%)')).toBeGreaterThan(10);
    const canvases = (await page.evaluate(CANVAS_PIXELS)) as Array<{ id: string; painted: number; colors: number }>;
    expect(canvases.map((c) => c.id).sort()).toEqual(['chart-budget', 'chart-fleet', 'chart-forecast', 'chart-latency', 'chart-queue', 'chart-slo']);
    for (const c of canvases) {
      expect(c.painted, c.id).toBeGreaterThan(3000);
      expect(c.colors, c.id).toBeGreaterThan(3);
    }

    await page.screenshot({ path: join(SHOTS, 'dashboard-1280.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1800 } });

    const backend = (await page.locator('#backend').textContent()) ?? '';
    expect(backend).toMatch(/actuator: process pool/);
    expect(backend).toMatch(/controller lease.*this controller leads, fencing token \d+/);

    // The newest scale-up, opened: every stage's reason is listed.
    const up = page.locator('#log > li[data-action="scale_up"]').first();
    await up.locator('summary').click();
    const reasons = await up.locator('ul > li').allTextContents();
    expect(reasons.length).toBeGreaterThanOrEqual(5);
    expect(reasons.join('\n')).toMatch(/Scaling up|Panic|Predictive/);
    await page.selectOption('#f-action', 'scale_up');
    expect(await page.locator('#log > li:not([data-action="scale_up"])').count()).toBe(0);
    await page.fill('#f-text', 'no reason says this');
    expect(await page.locator('#log > li').count()).toBe(0);
    await page.fill('#f-text', '');
    await page.selectOption('#f-action', '');

  });

  it('refuses pause without the token, shows why and changes nothing; pauses with it', async () => {
    await page.click('#pause-btn');
    const refused = await controlResult(page);
    expect(refused.status).toBe('401');
    expect(refused.text).toMatch(/^401 Unauthorized: missing Authorization.*Nothing was changed/);
    expect((await status()).pause.paused).toBe(false);

    await page.fill('#token', 'wrong');
    await page.click('#pause-btn');
    expect((await controlResult(page)).text).toMatch(/^401 Unauthorized: invalid bearer token/);
    expect((await status()).pause.paused).toBe(false);

    await page.fill('#token', TOKEN);
    await page.click('#pause-btn');
    expect((await controlResult(page)).status).toBe('200');
    expect((await status()).pause.paused).toBe(true);
    await page.waitForSelector('#paused:not([hidden])');
    // The next decisions carry the pause gate's effect.
    await waitFor('a decision held by the pause gate', async () =>
      (await page.locator('#log li.gate').allTextContents()).some((t) => t.startsWith('gate pause')), 10_000, 300);
    await page.click('#resume-btn');
    expect((await controlResult(page)).status).toBe('200');
    expect((await status()).pause.paused).toBe(false);

    // A controller without a token answers 403 (see test/server.test.ts); the page says so plainly.
    await page.route('**/api/override', (route) => route.fulfill({
      status: 403, contentType: 'application/json', body: JSON.stringify({ error: CONTROL_DISABLED_MESSAGE }),
    }));
    await page.click('#override-btn');
    expect((await controlResult(page)).text).toBe(`403 Forbidden: ${CONTROL_DISABLED_MESSAGE}. Nothing was changed: the control API is off on this controller.`);
    await page.unroute('**/api/override');
  });

  it('keeps the history over a reload and over a controller restart on the same database', async () => {
    // Buckets are re-cut as the history grows, so compare where it starts and roughly how much there is.
    const beforeSets = await datasets(page, 'chart-fleet');
    const before = pointsOf(beforeSets, 'provisioned');
    const start = firstX(beforeSets, 'provisioned');
    await page.reload();
    await page.waitForSelector('body[data-rendered="yes"]');
    const reloaded = await datasets(page, 'chart-fleet');
    expect(firstX(reloaded, 'provisioned')).toBe(start);
    expect(pointsOf(reloaded, 'provisioned')).toBeGreaterThanOrEqual(before * 0.9);

    const firstInstance = (await status()).instanceId;
    await stopController(controller);
    ({ proc: controller, url } = await startController());
    expect((await status()).instanceId).not.toBe(firstInstance);
    await openDashboard(page);
    const after = await datasets(page, 'chart-fleet');
    expect(firstX(after, 'provisioned')).toBe(start);
    expect(pointsOf(after, 'provisioned')).toBeGreaterThanOrEqual(before * 0.9);
    expect(pointsOf(after, 'scale up')).toBeGreaterThan(0);
    expect(await page.locator('#log > li').count()).toBeGreaterThan(10);
  });

  it('lists each stage with its code when the policy reports them (limits)', async () => {
    const p = await context.newPage();
    try {
      const limits = [
        { stage: 'stabilize', code: 'NOT_SCALING_DOWN', message: '', from: 5, to: 5 },
        { stage: 'budget', code: 'BUDGET_TRIMMED', message: 'Would exceed hourly budget ($12.00 > $10.00)', from: 5, to: 4 },
        { stage: 'cooldown', code: 'NO_COOLDOWN', message: 'no cooldown', from: 4, to: 4 },
      ];
      const reasoning = ['Size: M/M/N needs 5 workers', 'Would exceed hourly budget ($12.00 > $10.00)'];
      const decision = { at: new Date().toISOString(), action: 'scale_up', currentWorkers: 3, targetWorkers: 4, appliedWorkers: 4, reasoning, dryRun: false, limits };
      await p.route('**/api/decisions*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ decisions: [decision] }) }));
      await p.goto(url);
      await p.waitForSelector('body[data-rendered="yes"]');
      const item = p.locator('#log > li').first();
      await item.locator('summary').click();
      expect(await item.locator('summary').textContent()).toContain('budget · BUDGET_TRIMMED: Would exceed hourly budget ($12.00 > $10.00) (5 → 4)');
      expect(await item.locator('ul > li').allTextContents()).toEqual([
        'Size: M/M/N needs 5 workers',
        'Would exceed hourly budget ($12.00 > $10.00)',
        'stabilize · NOT_SCALING_DOWN',
        'budget · BUDGET_TRIMMED: (5 → 4)',
        'cooldown · NO_COOLDOWN: no cooldown',
      ]);
    } finally {
      await p.close();
    }
  });

  it('fits a phone (390 px) without horizontal scrolling', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, timezoneId: 'UTC', locale: 'en-GB' });
    try {
      const p = await phone.newPage();
      await p.goto(url);
      await p.waitForSelector('body[data-rendered="yes"]');
      const widths = await p.evaluate('[document.documentElement.scrollWidth, window.innerWidth]') as [number, number];
      expect(widths[0]).toBeLessThanOrEqual(widths[1]);
      expect(pointsOf(await datasets(p, 'chart-fleet'), 'provisioned')).toBeGreaterThan(10);
      await p.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true, clip: { x: 0, y: 0, width: 390, height: 1500 } });
    } finally {
      await phone.close();
    }
  });

  it('has no serious or critical axe-core violations', async () => {
    // axe is injected as a script, which the page's CSP (script-src 'self') rightly refuses: bypass it for the audit only.
    const audit = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    try {
      const p = await audit.newPage();
      await p.goto(url);
      await p.waitForSelector('body[data-rendered="yes"]');
      await p.locator('#log > li summary').first().click();
      const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
      await p.addScriptTag({ content: readFileSync(axePath, 'utf8') });
      const result = await p.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
        id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0] && v.nodes[0].target.join(' ') })))`) as
        Array<{ id: string; impact: string; nodes: number; help: string; target: string }>;
      expect(result.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    } finally {
      await audit.close();
    }
  });

  it('loaded nothing from another origin and logged no errors', () => {
    expect(foreign).toEqual([]);
    // The refused control calls (401) and the polls while the controller restarted are expected failures.
    const expected = /^Failed to load resource: (the server responded with a status of 40[13]|net::ERR_CONNECTION_REFUSED)/;
    expect(errors.filter((e) => !expected.test(e))).toEqual([]);
  });
});
