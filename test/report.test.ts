import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { resolveScalingConfig } from '../src/autoscaling/scaling-config.js';
import { downsample, policyColors } from '../src/sim/report-data.js';
import { escapeHtml, renderReport, reportOptionsFor, scriptJson, writeReport } from '../src/sim/report.js';
import { runSimulation } from '../src/sim/run.js';
import { buildScenario } from '../src/sim/scenarios.js';
import type { SimulationRun, SimulationSeries } from '../src/sim/types.js';

const CHROMIUM = '/usr/bin/chromium';

/** The few browser globals the page checks use (the project compiles without the DOM lib). */
interface PageGlobals {
  __pwned?: unknown;
  document: {
    querySelectorAll(selector: 'canvas'): ArrayLike<{
      id: string; width: number; height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
    }>;
  };
}
const HOSTILE = '</script><script>window.__pwned=1</script><b>"x" & \'y\'';

describe('downsample', () => {
  it.each([
    { name: 'mean per bucket', values: [1, 2, 3, 4, 5], bucket: 2, how: 'mean' as const, expected: [1.5, 3.5, 5] },
    { name: 'max per bucket', values: [1, 9, 3, 4, 5], bucket: 2, how: 'max' as const, expected: [9, 4, 5] },
    { name: 'NaN skipped', values: [Number.NaN, 2, 4, Number.NaN], bucket: 2, how: 'mean' as const, expected: [2, 4] },
    { name: 'all-NaN bucket is null', values: [Number.NaN, Number.NaN, 3], bucket: 2, how: 'max' as const, expected: [null, 3] },
    { name: 'bucket 1 keeps every value (rounded)', values: [1.23456, 2], bucket: 1, how: 'mean' as const, expected: [1.235, 2] },
  ])('$name', ({ values, bucket, how, expected }) => {
    expect(downsample(Float64Array.from(values), values.length, bucket, how)).toEqual(expected);
  });
});

describe('policy colours', () => {
  it('are distinct, fixed for known policies and independent of order', () => {
    const a = policyColors(['bountybot', 'hpa', 'custom-1', 'zero-wait', 'custom-2']);
    const b = policyColors(['zero-wait', 'hpa', 'bountybot']);
    expect(new Set(a.values()).size).toBe(5);
    for (const name of ['bountybot', 'hpa', 'zero-wait']) expect(a.get(name)).toBe(b.get(name));
  });
});

describe('escaping', () => {
  it('escapes HTML and keeps JSON inert inside <script>', () => {
    expect(escapeHtml(HOSTILE)).not.toMatch(/[<>"']/);
    const json = scriptJson({ name: HOSTILE, sep: '\u2028' });
    expect(json).not.toMatch(/<|>|\u2028/);
    expect(JSON.parse(json)).toEqual({ name: HOSTILE, sep: '\u2028' });
  });
});

/** A synthetic run of `minutes` minutes with a daily cycle; `phase` shifts it per policy. */
function syntheticRun(policy: string, minutes: number, phase: number, reference = false): SimulationRun {
  const f = (): Float64Array => new Float64Array(minutes);
  const s: SimulationSeries = {
    stepSeconds: 60, length: minutes, arrivals: f(), forecast: f(), provisioned: f(), ready: f(), busy: f(), queueDepth: f(),
    latencyP95Seconds: f(),
  };
  for (let i = 0; i < minutes; i++) {
    const load = 20 + 15 * Math.sin(((i + phase * 30) * 2 * Math.PI) / 1440);
    s.arrivals[i] = load * 2.4;
    s.forecast[i] = policy === 'bountybot' ? load * 2.4 + 3 : Number.NaN;
    s.provisioned[i] = Math.ceil(load * 1.1) + phase;
    s.ready[i] = Math.ceil(load * 1.1) + phase - (i % 60 === 0 ? 2 : 0);
    s.busy[i] = load * 0.9;
    s.queueDepth[i] = i % 97 === 0 ? 40 + phase : (i % 7) + phase;
    s.latencyP95Seconds[i] = i % 5 === 0 ? Number.NaN : 30 + ((i * 13) % 50) + phase * 10;
  }
  return {
    policy,
    description: `synthetic ${policy} ${HOSTILE}`,
    summary: {
      policy, jobs: 100_000, completed: 100_000, lost: 0, cost: 1234.5 + phase, workerHours: 617.25, utilization: 0.8,
      latencySeconds: { p50: 25, p95: 60, p99: 90, max: 300 }, sloSeconds: 120, sloAttainment: 0.995, scaleActions: 321,
      peakWorkers: 40, meanWorkers: 22.1, params: { target: 10 }, ...(reference ? { reference: true } : {}),
    },
    series: s,
    stopMs: minutes * 60_000,
    simulations: 1,
    tickErrors: 0,
    wallMs: 1,
  };
}

const FOUR_WEEKS = 28 * 1440;
const POLICIES = ['bountybot', 'fixed', 'fixed-peak', 'hpa', 'hpa-tuned', 'keda', 'keda-tuned', 'original', HOSTILE];

function fourWeekRuns(): SimulationRun[] {
  return POLICIES.map((p, i) => syntheticRun(p, FOUR_WEEKS - i * 17, i, i === POLICIES.length - 1));
}

describe('renderReport', () => {
  it('keeps a 4-week, 9-policy report under 3 MB with at most 2,000 points per series', () => {
    const html = renderReport(fourWeekRuns(), { sloSeconds: 120, title: 'four weeks' });
    expect(Buffer.byteLength(html)).toBeLessThan(3_000_000);
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    const data = JSON.parse(json) as { points: number; bucketMinutes: number; policies: Array<{ provisioned: unknown[] }> };
    expect(data.points).toBeLessThanOrEqual(2000);
    expect(data.bucketMinutes).toBe(Math.ceil(FOUR_WEEKS / 2000));
    for (const p of data.policies) expect(p.provisioned.length).toBeLessThanOrEqual(2000);
  });

  it('is self-contained: Chart.js inlined, no external URL, no raw hostile string', () => {
    const html = renderReport(fourWeekRuns(), { sloSeconds: 120 });
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain('<script>window.__pwned');
    expect(html.match(/<script/g)?.length).toBe(4);
  });
});

describe('report in a real browser (offline, file://)', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'bountybot-report-'));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (or run .ci/install-system-deps.sh)`);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function load(path: string, screenshot: string): Promise<{ errors: string[]; requests: string[]; canvases: Array<{ id: string; painted: number; colors: number }>; rows: string[]; pwned: unknown; toggles: string[] }> {
    const context = await browser.newContext({ offline: true, viewport: { width: 1300, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      requests.push(url);
      return route.abort();
    });
    await page.goto(`file://${path}`);
    await page.waitForSelector('body[data-rendered="yes"]', { timeout: 20_000 });
    const canvases = await page.evaluate(() => Array.from((globalThis as unknown as PageGlobals).document.querySelectorAll('canvas')).map((c) => {
      const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let painted = 0;
      const colors = new Set<number>();
      for (let i = 0; i < px.length; i += 4) {
        if ((px[i + 3] ?? 0) === 0) continue;
        painted += 1;
        if (colors.size < 50) colors.add(((px[i] ?? 0) << 16) | ((px[i + 1] ?? 0) << 8) | (px[i + 2] ?? 0));
      }
      return { id: c.id, painted, colors: colors.size };
    }));
    const rows = await page.$$eval('#results tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-policy') ?? ''));
    const pwned = await page.evaluate(() => (globalThis as unknown as PageGlobals).__pwned);
    await page.screenshot({ path: screenshot, fullPage: true });
    // The linear/log switches redraw their chart without errors.
    const toggles: string[] = [];
    for (const button of await page.locator('button[data-chart]').all()) {
      const before = await button.textContent();
      await button.click();
      toggles.push(`${before ?? ''} -> ${(await button.textContent()) ?? ''}`);
    }
    await context.close();
    return { errors, requests, canvases, rows, pwned, toggles };
  }

  it('renders a real simulation: no errors, every chart drawn, one table row per policy', async () => {
    const scenario = buildScenario('campaign-spike');
    if (scenario === undefined) throw new Error('campaign-spike scenario missing');
    const policies = ['bountybot', 'fixed', 'hpa', 'keda', 'original', 'zero-wait'];
    const result = await runSimulation({
      trace: scenario.trace, policies, config: resolveScalingConfig({}),
      ...(scenario.fixedWorkers !== undefined ? { fixedWorkers: scenario.fixedWorkers } : {}),
    });
    const path = join(dir, 'campaign.html');
    writeReport(path, result.runs, reportOptionsFor(result, { command: 'bountybot simulate --scenario campaign-spike --policy all' }));
    const r = await load(path, '/tmp/bountybot-report-campaign.png');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    expect(r.rows).toEqual([...policies, 'floor']);
    expect(r.toggles).toEqual(['log scale -> linear scale', 'log scale -> linear scale', 'linear scale -> log scale']);
    expect(r.canvases).toHaveLength(4 + policies.length);
    for (const c of r.canvases) {
      expect(c.painted, c.id).toBeGreaterThan(2000);
      expect(c.colors, c.id).toBeGreaterThan(2);
    }
  });

  it('renders four weeks of nine policies, hostile names shown as text', async () => {
    const path = join(dir, 'four-weeks.html');
    writeReport(path, fourWeekRuns(), { sloSeconds: 120, title: `four weeks ${HOSTILE}` });
    expect(statSync(path).size).toBeLessThan(3_000_000);
    const r = await load(path, '/tmp/bountybot-report-four-weeks.png');
    expect(r.errors).toEqual([]);
    expect(r.requests).toEqual([]);
    expect(r.pwned).toBeUndefined();
    expect(r.rows).toEqual(POLICIES);
    expect(r.canvases).toHaveLength(4 + POLICIES.length);
    for (const c of r.canvases) expect(c.painted, c.id).toBeGreaterThan(2000);
  });
});
