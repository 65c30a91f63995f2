import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/sim-helpers.js';

const NASA_DAY = fileURLToPath(new URL('./fixtures/nasa-http-jul1995-1day.csv', import.meta.url));

const cli = (...args: string[]): ReturnType<typeof runCli> => runCli('simulate', ...args);

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

  it('prints an array for several policies, in the order given (oracle is an alias of zero-wait)', async () => {
    const r = await cli('--scenario', 'campaign-spike', '--policy', 'fixed,keda,oracle', '--json', '--slo-seconds', '60');
    expect(r.code).toBe(0);
    const arr = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(arr.map((x) => x.policy)).toEqual(['fixed', 'keda', 'zero-wait']);
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

  it('carries the floor, the second half and the out-of-sample figures of a tuned baseline', async () => {
    const r = await cli('--trace', NASA_DAY, '--policy', 'hpa-tuned,bountybot', '--peak-load', '4', '--json', '--slo-seconds', '180', '--slo-target', '0.98');
    expect(r.code, r.err).toBe(0);
    type Half = { fromSeconds: number; cost: number; sloAttainment: number; floorCost: number };
    const [hpa, ours] = JSON.parse(r.out) as Array<{
      policy: string; cost: number; sloSeconds: number; floor: { cost: number; busyWorkerHours: number }; secondHalf: Half;
      outOfSample?: { params: Record<string, number>; heldOut: Half; trainedUntilSeconds: number }; engineSlo?: { source: string };
      params?: Record<string, number>;
    }>;
    expect(hpa!.sloSeconds).toBe(180);
    expect(hpa!.params).toHaveProperty('stabilizationWindowSeconds');
    expect(hpa!.floor).toEqual(ours!.floor);
    expect(hpa!.cost).toBeGreaterThanOrEqual(hpa!.floor.cost);
    expect(ours!.secondHalf.fromSeconds).toBe(43_200);
    expect(ours!.secondHalf.cost).toBeGreaterThanOrEqual(ours!.secondHalf.floorCost);
    expect(hpa!.outOfSample!.trainedUntilSeconds).toBe(43_200);
    expect(hpa!.outOfSample!.heldOut.fromSeconds).toBe(43_200);
    expect(ours!.outOfSample).toBeUndefined();
    expect(ours!.engineSlo).toBeDefined();
  });

  it('runs our engine with two configs side by side on the same arrivals (A/B)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const config = join(dir, 'fast.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, 'autoscaling:\n  cooldown_minutes: 0.5\n  scale_down_stabilization_seconds: 0\n');
    const r = await cli('--trace', NASA_DAY, '--peak-load', '4', '--policy', `bountybot,bountybot@${config}`, '--json');
    expect(r.code, r.err).toBe(0);
    const [a, b] = JSON.parse(r.out) as Array<{ policy: string; jobs: number; cost: number }>;
    expect(a!.policy).toBe('bountybot');
    expect(b!.policy).toBe('bountybot@fast.yaml');
    expect(b!.jobs).toBe(a!.jobs);
    expect(b!.cost).not.toBe(a!.cost);
    const table = await cli('--trace', NASA_DAY, '--peak-load', '4', '--policy', `bountybot,bountybot@${config}`, '--no-out-of-sample');
    expect(table.out).toMatch(/^bountybot@fast\.yaml\s+\d+\.\d\d/m);
    expect(table.out).toMatch(/^bountybot@fast\.yaml \(2nd half\)/m);
  });

  it('--scale-down kubernetes writes every attempt to --jobs-out with its outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const jobs = join(dir, 'jobs.csv');
    const r = await cli('--trace', NASA_DAY, '--peak-load', '5', '--policy', 'keda', '--scale-down', 'kubernetes', '--grace-seconds', '10', '--json', '--jobs-out', jobs);
    expect(r.code, r.err).toBe(0);
    const o = JSON.parse(r.out) as { jobs: number; killedAttempts: number };
    const lines = readFileSync(jobs, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,arrival,start,end,worker,outcome');
    const outcomes = lines.slice(1).map((l) => l.split(',')[5]);
    expect(outcomes.filter((x) => x === 'completed')).toHaveLength(o.jobs);
    expect(outcomes.filter((x) => x === 'killed')).toHaveLength(o.killedAttempts);
    expect(o.killedAttempts).toBeGreaterThan(0);
  });

  it('prints a readable table without --json', async () => {
    const r = await cli('--scenario', 'campaign-spike', '--policy', 'fixed,zero-wait');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/policy\s+cost \$/);
    expect(r.out).toMatch(/reference only: sees the future/);
    expect(r.out).toMatch(/^floor\s+\d+\.\d\d\s+1\.000/m);
  });
});

describe('bountybot simulate errors (exit 2, one clear message)', () => {
  it.each([
    ['missing trace file', ['--trace', '/nonexistent/t.csv'], /trace file not found: \/nonexistent\/t.csv/],
    ['bad --scale', ['--trace', NASA_DAY, '--scale', 'abc'], /option '--scale <F>' argument 'abc' is invalid\. Expected a decimal number in \(0, 1000000\]/],
    ['zero --scale', ['--trace', NASA_DAY, '--scale', '0'], /option '--scale <F>' argument '0' is invalid\. Expected a decimal number in \(0, 1000000\]/],
    ['hex --peak-load', ['--trace', NASA_DAY, '--peak-load', '0x10'], /option '--peak-load <E>' argument '0x10' is invalid\. Expected a decimal number/],
    ['exponent --slo-seconds', ['--trace', NASA_DAY, '--slo-seconds', '1e300'], /option '--slo-seconds <L>' argument '1e300' is invalid\. Expected a decimal number in \(0, 604800\]/],
    ['NaN --service-time', ['--trace', NASA_DAY, '--service-time', 'NaN'], /option '--service-time <S>' argument 'NaN' is invalid/],
    ['Infinity --service-cv', ['--trace', NASA_DAY, '--service-cv', 'Infinity'], /argument 'Infinity' is invalid\. Expected a decimal number in \[0, 10\]/],
    ['negative --startup-seconds', ['--trace', NASA_DAY, '--startup-seconds', '-5'], /option '--startup-seconds <T>' argument '-5' is invalid\. Expected a decimal number in \[0, 86400\]/],
    ['--slo-target above 1', ['--trace', NASA_DAY, '--slo-target', '1.5'], /option '--slo-target <P>' argument '1\.5' is invalid\. Expected a decimal number in \(0, 1\]/],
    ['tiny --interval-seconds', ['--trace', NASA_DAY, '--interval-seconds', '0.001'], /argument '0\.001' is invalid\. Expected a decimal number in \[1, 3600\]/],
    ['fractional --max-workers', ['--trace', NASA_DAY, '--max-workers', '2.5'], /option '--max-workers <N>' argument '2\.5' is invalid\. Expected an integer in \[1, 10000\]/],
    ['absurd --fixed-workers', ['--trace', NASA_DAY, '--fixed-workers', '99999999'], /argument '99999999' is invalid\. Expected an integer in \[0, 10000\]/],
    ['negative --grace-seconds', ['--trace', NASA_DAY, '--grace-seconds', '-1'], /option '--grace-seconds <G>' argument '-1' is invalid\. Expected a decimal number in \[0, 86400\]/],
    ['unknown --scale-down', ['--trace', NASA_DAY, '--scale-down', 'evict'], /--scale-down.*evict.*drain, kubernetes/],
    ['bad A/B spec', ['--trace', NASA_DAY, '--policy', 'hpa@x.yaml'], /A\/B variants are written bountybot@FILE/],
    ['A/B config missing', ['--trace', NASA_DAY, '--policy', 'bountybot,bountybot@/nonexistent/t.yaml'], /config file not found: \/nonexistent\/t.yaml/],
    ['--scale with --peak-load', ['--trace', NASA_DAY, '--scale', '1', '--peak-load', '3'], /exclusive/],
    ['no workload', [], /exactly one of --trace FILE or --scenario NAME/],
    ['both workloads', ['--trace', NASA_DAY, '--scenario', 'monday-spike'], /exactly one of/],
    ['unknown scenario', ['--scenario', 'tuesday'], /unknown scenario "tuesday"/],
    ['unknown policy', ['--scenario', 'campaign-spike', '--policy', 'magic'], /unknown policy "magic"/],
    ['--jobs-out with all', ['--scenario', 'campaign-spike', '--jobs-out', '/tmp/x.csv'], /--jobs-out needs a single --policy/],
    ['--workers-out with two', ['--scenario', 'campaign-spike', '--policy', 'hpa,keda', '--workers-out', '/tmp/x.csv'], /--workers-out needs a single --policy/],
    ['bad --seed', ['--scenario', 'campaign-spike', '--seed', '1.5'], /option '--seed <N>' argument '1\.5' is invalid\. Expected an integer in \[0, 4294967295\]/],
    ['missing config', ['--scenario', 'campaign-spike', '--config', '/nonexistent/c.yaml'], /config file not found/],
  ])('%s', async (_name, args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('bountybot forecast --horizon-minutes is parsed the same way', () => {
  it.each([['hex', '0x5'], ['exponent', '5e0'], ['zero', '0'], ['more than a year', '600000']])('rejects %s with one line, exit 2', async (_name, value) => {
    const r = await runCli('forecast', '--trace', NASA_DAY, '--horizon-minutes', value);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`option '--horizon-minutes <h>' argument '${value}' is invalid\\. Expected a decimal number in \\(0, 525600\\]`));
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
