import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

const NASA_DAY = fileURLToPath(new URL('./fixtures/nasa-http-jul1995-1day.csv', import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'bountybot', 'simulate', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

const CONTRACT_KEYS = [
  'policy', 'jobs', 'completed', 'lost', 'cost', 'workerHours', 'utilization', 'latencySeconds', 'sloSeconds',
  'sloAttainment', 'scaleActions', 'peakWorkers', 'meanWorkers',
];

describe('bountybot simulate --json', () => {
  it('prints one object with the contract fields for a single policy', async () => {
    const r = await cli('--trace', NASA_DAY, '--policy', 'hpa', '--peak-load', '5', '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as Record<string, unknown>;
    expect(Array.isArray(o)).toBe(false);
    expect(Object.keys(o).slice(0, CONTRACT_KEYS.length)).toEqual(CONTRACT_KEYS);
    expect(Object.keys(o.latencySeconds as object)).toEqual(['p50', 'p95', 'p99', 'max']);
    expect(o.policy).toBe('hpa');
    expect(o.sloSeconds).toBe(120);
    expect(o.lost).toBe(0);
    expect(o.cost as number).toBeCloseTo((o.workerHours as number) * 2, 9);
  });

  it('prints an array for several policies, in the order given', async () => {
    const r = await cli('--scenario', 'campaign-spike', '--policy', 'fixed,keda,oracle', '--json', '--slo-seconds', '60');
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(arr.map((x) => x.policy)).toEqual(['fixed', 'keda', 'oracle']);
    expect(arr[0]?.peakWorkers).toBe(3);
    expect(arr[2]?.reference).toBe(true);
    expect(arr.every((x) => x.sloSeconds === 60)).toBe(true);
  });

  it('uses cost_per_worker_hour from --config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const config = join(dir, 'c.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, 'autoscaling:\n  cost_config:\n    cost_per_worker_hour: 3.5\n');
    const r = await cli('--scenario', 'campaign-spike', '--policy', 'fixed', '--json', '--config', config);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { cost: number; workerHours: number };
    expect(o.cost).toBeCloseTo(o.workerHours * 3.5, 9);
  });

  it('writes --jobs-out and --workers-out that agree with the JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const jobs = join(dir, 'jobs.csv');
    const workers = join(dir, 'workers.csv');
    const r = await cli('--scenario', 'campaign-spike', '--policy', 'keda', '--json', '--jobs-out', jobs, '--workers-out', workers);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { jobs: number; workerHours: number };
    const jobLines = readFileSync(jobs, 'utf8').trim().split('\n');
    expect(jobLines[0]).toBe('id,arrival,start,end,worker');
    expect(jobLines.length - 1).toBe(o.jobs);
    const rows = readFileSync(workers, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    let paid = 0;
    for (let i = 0; i + 1 < rows.length; i++) paid += rows[i]![1]! * (rows[i + 1]![0]! - rows[i]![0]!);
    expect(paid / 3600).toBeCloseTo(o.workerHours, 6);
  });

  it('prints a readable table without --json', async () => {
    const r = await cli('--scenario', 'campaign-spike', '--policy', 'fixed,oracle');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/policy\s+cost \$/);
    expect(r.out).toMatch(/reference only/);
  });
});

describe('bountybot simulate errors (exit 2, one clear message)', () => {
  it.each([
    ['missing trace file', ['--trace', '/nonexistent/t.csv'], /trace file not found: \/nonexistent\/t.csv/],
    ['bad --scale', ['--trace', NASA_DAY, '--scale', 'abc'], /--scale must be a number > 0; got "abc"/],
    ['zero --scale', ['--trace', NASA_DAY, '--scale', '0'], /--scale must be a number > 0; got "0"/],
    ['--scale with --peak-load', ['--trace', NASA_DAY, '--scale', '1', '--peak-load', '3'], /exclusive/],
    ['no workload', [], /exactly one of --trace FILE or --scenario NAME/],
    ['both workloads', ['--trace', NASA_DAY, '--scenario', 'monday-spike'], /exactly one of/],
    ['unknown scenario', ['--scenario', 'tuesday'], /unknown scenario "tuesday"/],
    ['unknown policy', ['--scenario', 'campaign-spike', '--policy', 'magic'], /unknown policy "magic"/],
    ['--jobs-out with all', ['--scenario', 'campaign-spike', '--jobs-out', '/tmp/x.csv'], /--jobs-out needs a single --policy/],
    ['--workers-out with two', ['--scenario', 'campaign-spike', '--policy', 'hpa,keda', '--workers-out', '/tmp/x.csv'], /--workers-out needs a single --policy/],
    ['bad --seed', ['--scenario', 'campaign-spike', '--seed', '1.5'], /--seed must be an integer/],
    ['missing config', ['--scenario', 'campaign-spike', '--config', '/nonexistent/c.yaml'], /config file not found/],
  ])('%s', async (_name, args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
