import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAutoscalingConfig } from '../src/config/load.js';
import { TUNE_KNOBS } from '../src/sim/tune.js';
import { runCli } from './helpers/sim-helpers.js';

const NASA_DAY = fileURLToPath(new URL('./fixtures/nasa-http-jul1995-1day.csv', import.meta.url));

const cli = runCli;

afterEach(() => vi.restoreAllMocks());

describe('bountybot tune', () => {
  it('tunes on the history, validates on the rest and writes a loadable YAML that keeps the base file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-tune-'));
    const base = join(dir, 'base.yaml');
    writeFileSync(base, '# my settings\nautoscaling:\n  http_port: 9123\n  max_workers: 40\n  cost_config:\n    cost_per_worker_hour: 3\n');
    const out = join(dir, 'tuned.yaml');
    const r = await cli('tune', '--trace', NASA_DAY, '--peak-load', '6', '--config', base, '--out', out, '--max-simulations', '6', '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as {
      trainingSimulations: number; changes: Record<string, [number, number]>; trainedUntilSeconds: number;
      heldOut: Array<{ label: string; heldOut: { cost: number; sloAttainment: number; fromSeconds: number } }>; heldOutFloorCost: number;
    };
    expect(json.trainingSimulations).toBeLessThanOrEqual(6);
    expect(json.trainedUntilSeconds).toBe(43_200);
    expect(json.heldOut.map((h) => h.label)).toEqual(['default config', 'base config (--config)', 'tuned config', 'hpa-tuned (tuned on the same history)']);
    for (const h of json.heldOut) {
      expect(h.heldOut.fromSeconds).toBe(43_200);
      expect(h.heldOut.cost).toBeGreaterThanOrEqual(json.heldOutFloorCost);
    }
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Tuned by `bountybot tune` on .*nasa-http-jul1995-1day\.csv/);
    expect(text).toContain('# my settings');
    expect(text).toMatch(/tuned config: cost \d+\.\d\d, SLO \d+\.\d\d %/);
    const loaded = loadAutoscalingConfig(out, { env: {} });
    expect(loaded.httpPort).toBe(9123);
    expect(loaded.scaling.maxWorkers).toBe(40);
    expect(loaded.scaling.costConfig.costPerWorkerHour).toBe(3);
    for (const [key, [, to]] of Object.entries(json.changes)) {
      const knob = TUNE_KNOBS.find((k) => k.yaml === key)!;
      expect(loaded.scaling[knob.key]).toBe(to);
    }
  });

  it('prints the held-out table and the YAML without --out', async () => {
    const r = await cli('tune', '--trace', NASA_DAY, '--peak-load', '4', '--max-simulations', '3', '--slo-seconds', '180');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/SLO 180s for 99\.00 %/);
    expect(r.out).toMatch(/search: 3 simulations/);
    expect(r.out).toMatch(/^default config\s+\d+\.\d\d/m);
    expect(r.out).toMatch(/^floor\s+\d+\.\d\d\s+1\.000/m);
    expect(r.out).toMatch(/^autoscaling:/m);
  });

  it.each([
    ['train fraction out of range', ['--trace', NASA_DAY, '--train-fraction', '0.95'], /option '--train-fraction <F>' argument '0\.95' is invalid\. Expected a decimal number in \[0\.1, 0\.9\]/],
    ['no trace', [], /required option '--trace <file>' not specified/],
    ['missing trace file', ['--trace', '/nonexistent/h.csv'], /trace file not found: \/nonexistent\/h.csv/],
    ['bad config', ['--trace', NASA_DAY, '--config', '/nonexistent/c.yaml'], /config file not found/],
  ])('exits 2 with one message: %s', async (_name, args, message) => {
    const r = await cli('tune', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
