import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveScalingConfig } from '../src/autoscaling/scaling-config.js';
import { declaredSloKeys, engineConfigForSlo } from '../src/sim/engine-slo.js';
import { writeJobsCsv, writeWorkersCsv } from '../src/sim/output.js';
import { kedaNeverScalesToZero } from '../src/sim/policies/keda-tuned.js';
import { createKedaPolicy } from '../src/sim/policies/keda.js';
import { makeContext, prepareSimulation, runSimulation, simulationConfig, type SimulationRequest } from '../src/sim/run.js';
import { STABILIZATION_WINDOWS } from '../src/sim/search.js';
import { busyHoursFrom, splitPointMs, workloadBefore } from '../src/sim/split.js';
import { loadTraceFile, parseTraceCsv } from '../src/sim/trace.js';
import { buildWorkload } from '../src/sim/workload.js';

const NASA_DAY = fileURLToPath(new URL('./fixtures/nasa-http-jul1995-1day.csv', import.meta.url));
const trace = loadTraceFile(NASA_DAY);
const request = (over: Partial<SimulationRequest> = {}): SimulationRequest => ({
  trace, policies: ['hpa'], config: resolveScalingConfig({}), peakLoad: 6, seed: 5, ...over,
});

describe('splitting a trace', () => {
  it('splits on the bin boundary nearest the fraction and keeps the same jobs in the first part', () => {
    const w = buildWorkload(trace, { peakLoad: 6, serviceTimeSeconds: 25, serviceCv: 0.5, seed: 5 });
    const mid = splitPointMs(trace, 0.5);
    expect(mid).toBe(720 * 60_000);
    expect(splitPointMs(trace, 0.25)).toBe(360 * 60_000);
    const first = workloadBefore(w, mid);
    expect(first.trace.endMs).toBe(mid);
    expect(first.trace.counts.length).toBe(720);
    expect(first.jobs).toBeGreaterThan(0);
    expect(Array.from(first.arrivalMs)).toEqual(Array.from(w.arrivalMs.subarray(0, first.jobs)));
    expect(Array.from(first.serviceMs)).toEqual(Array.from(w.serviceMs.subarray(0, first.jobs)));
    expect(w.arrivalMs[first.jobs]!).toBeGreaterThanOrEqual(mid);
    expect(first.arrivalMs[first.jobs - 1]!).toBeLessThan(mid);
  });
});

describe('floor and second half', () => {
  it('floor = service time x price; no run costs less; the second half recomputes from the CSVs', async () => {
    const r = await runSimulation(request({ policies: ['hpa'], recordJobs: true, recordWorkerLog: true }));
    const run = r.runs[0]!;
    const from = r.settings.secondHalfFromSeconds;
    expect(from).toBe(43_200);
    let service = 0;
    const j = run.jobs!;
    for (let i = 0; i < j.arrivalMs.length; i++) service += j.endMs[i]! - j.startMs[i]!;
    expect(r.floor.busyWorkerHours).toBeCloseTo(service / 3_600_000, 9);
    expect(r.floor.cost).toBeCloseTo(r.floor.busyWorkerHours * 2, 9);
    expect(run.summary.cost).toBeGreaterThanOrEqual(r.floor.cost);
    // What an independent script does with the two files for the second half.
    const dir = mkdtempSync(join(tmpdir(), 'sim-half-'));
    writeJobsCsv(join(dir, 'jobs.csv'), j);
    writeWorkersCsv(join(dir, 'workers.csv'), run.workerLog!);
    const jobs = readFileSync(join(dir, 'jobs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
      .filter((x) => x[1]! >= from);
    const log = readFileSync(join(dir, 'workers.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    let paid = 0;
    for (let i = 0; i + 1 < log.length; i++) {
      const a = Math.max(log[i]![0]!, from);
      const b = log[i + 1]![0]!;
      if (b > a) paid += log[i]![1]! * (b - a);
    }
    const h = run.secondHalf!;
    expect(h.fromSeconds).toBe(from);
    expect(h.jobs).toBe(jobs.length);
    expect(h.workerHours).toBeCloseTo(paid / 3600, 6);
    expect(h.cost).toBeCloseTo((paid / 3600) * 2, 6);
    expect(h.sloAttainment).toBe(jobs.filter((x) => x[3]! - x[1]! <= 120 + 1e-9).length / jobs.length);
    expect(r.secondHalfFloor.busyWorkerHours).toBeCloseTo(jobs.reduce((a, x) => a + x[3]! - x[2]!, 0) / 3600, 6);
    expect(h.cost).toBeGreaterThanOrEqual(r.secondHalfFloor.cost);
  });
});

describe('hpa-tuned and keda-tuned', () => {
  it('hpa-tuned searches every stabilization window, keeps the cheapest feasible run and reports its out-of-sample version', async () => {
    const r = await runSimulation(request({ policies: ['hpa-tuned'] }));
    const run = r.runs[0]!;
    const p = run.summary.params!;
    expect(STABILIZATION_WINDOWS).toContain(p.stabilizationWindowSeconds);
    expect(run.summary.sloAttainment).toBeGreaterThanOrEqual(0.99);
    const windows = new Set(run.search!.map((s) => s.params.stabilizationWindowSeconds));
    expect([...windows].sort((a, b) => a! - b!)).toEqual([0, 30, 60, 120, 300]);
    for (const s of run.search!) {
      if (s.aborted === undefined && s.sloAttainment >= 0.99) expect(run.summary.cost).toBeLessThanOrEqual(s.cost);
    }
    const oos = run.outOfSample!;
    expect(oos.trainedUntilSeconds).toBe(43_200);
    expect(oos.heldOut.fromSeconds).toBe(43_200);
    expect(STABILIZATION_WINDOWS).toContain(oos.params.stabilizationWindowSeconds);
    expect(oos.simulations).toBeGreaterThan(5);
    const off = await runSimulation(request({ policies: ['hpa-tuned'], outOfSample: false }));
    expect(off.runs[0]!.outOfSample).toBeUndefined();
    expect(off.runs[0]!.summary.cost).toBe(run.summary.cost);
  });

  it('keda-tuned reuses hpa-tuned only where KEDA provably never scales to zero, and then matches a direct KEDA run', async () => {
    // Busy all day: a job at least every few seconds, so the queue is never empty for a cooldown.
    const rows = ['timestamp,count'];
    for (let m = 0; m < 360; m++) rows.push(`${new Date(Date.UTC(2025, 0, 6) + m * 60_000).toISOString()},40`);
    const busy = parseTraceCsv(rows.join('\n'), 'busy.csv');
    const req = request({ trace: busy, policies: ['hpa-tuned', 'keda-tuned'], peakLoad: 10, outOfSample: false });
    const { workload, settings } = prepareSimulation(req);
    const config = simulationConfig(req.config, settings);
    const ctx = makeContext({ workload, settings, config, engine: engineConfigForSlo(config, settings), req, shared: new Map(), whole: true }, () => {});
    expect(kedaNeverScalesToZero(ctx, 60)).toBe(true);
    const r = await runSimulation(req);
    const [hpa, keda] = r.runs;
    expect(keda!.summary.params).toMatchObject({ ...hpa!.summary.params, sameAsHpaTuned: 1 });
    const direct = await ctx.simulate(() => ({
      policy: createKedaPolicy({
        minReplicas: 0, maxReplicas: settings.maxWorkers, queueTarget: hpa!.summary.params!.queueTarget!,
        behavior: { scaleDownStabilizationSeconds: hpa!.summary.params!.stabilizationWindowSeconds! },
      }),
      initialWorkers: ctx.warmStart(0, settings.maxWorkers),
    }));
    expect(direct.summary.cost).toBe(hpa!.summary.cost);
    expect(direct.summary.sloAttainment).toBe(hpa!.summary.sloAttainment);
    // At this scale NASA's night has minutes without a request: KEDA may scale to zero there.
    const nasa = prepareSimulation(request({ peakLoad: 0.5 }));
    const nasaCtx = makeContext({ ...nasa, config, engine: engineConfigForSlo(config, nasa.settings), req, shared: new Map(), whole: true }, () => {});
    expect(kedaNeverScalesToZero(nasaCtx, 300)).toBe(false);
  });
});

describe('the SLO handed to our engine', () => {
  const slo = { sloSeconds: 90, sloTarget: 0.995 };
  it('sets sloSeconds/sloTarget only when the engine declares them, keeping values the config file sets', () => {
    const base = resolveScalingConfig({});
    const declared = declaredSloKeys();
    const { config, engineSlo } = engineConfigForSlo(base, slo);
    if (declared.length === 0) {
      expect(engineSlo).toEqual({ source: 'not in this engine' });
      expect(config).toBe(base);
    } else {
      expect(engineSlo.source).toBe('simulate flags');
      for (const k of declared) expect((config as unknown as Record<string, number>)[k]).toBe(slo[k]);
      const kept = engineConfigForSlo(base, slo, new Set(declared));
      expect(kept.engineSlo.source).toBe('config file');
      for (const k of declared) expect((kept.config as unknown as Record<string, number>)[k]).toBe((base as unknown as Record<string, number>)[k]);
    }
  });

  it('every engine run reports what it was given', async () => {
    const r = await runSimulation(request({ policies: ['bountybot'], sloSeconds: 90, sloTarget: 0.995 }));
    const e = r.runs[0]!.summary.engineSlo!;
    expect(r.runs[0]!.summary.sloSeconds).toBe(90);
    expect(e.source).toBe(declaredSloKeys().length === 0 ? 'not in this engine' : 'simulate flags');
  });
});

describe('busyHoursFrom', () => {
  it('sums the service time of the jobs arriving from a time on', () => {
    const w = buildWorkload(trace, { peakLoad: 2, serviceTimeSeconds: 10, serviceCv: 0, seed: 1 });
    expect(busyHoursFrom(w)).toBeCloseTo((w.jobs * 10) / 3600, 9);
    const later = Array.from(w.arrivalMs).filter((a) => a >= 3_600_000).length;
    expect(busyHoursFrom(w, 3_600_000)).toBeCloseTo((later * 10) / 3600, 9);
  });
});
