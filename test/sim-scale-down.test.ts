import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveScalingConfig } from '../src/autoscaling/scaling-config.js';
import { writeJobsCsv, writeWorkersCsv } from '../src/sim/output.js';
import { deletionKey, logRank, podUid } from '../src/sim/replica-set.js';
import { runSimulation } from '../src/sim/run.js';
import { simulate } from '../src/sim/simulator.js';
import { loadTraceFile } from '../src/sim/trace.js';
import { handWorkload, scripted, workerRows } from './helpers/sim-helpers.js';

const NASA_DAY = fileURLToPath(new URL('./fixtures/nasa-http-jul1995-1day.csv', import.meta.url));
const workload = handWorkload;
const rows = workerRows;

const base = {
  startupSeconds: 60, intervalSeconds: 15, sloSeconds: 120, metricsWindowMinutes: 5, costPerWorkerHour: 2,
  recordWorkerLog: true, recordJobs: true, scaleDown: 'kubernetes' as const, graceSeconds: 30,
};

describe('ReplicaSet deletion order (LogarithmicScaleDown)', () => {
  it.each([
    ['no age', 0, -1],
    ['1 ms = 1e6 ns', 1, 19],
    ['15 s', 15_000, 33],
    ['75 s', 75_000, 36],
  ])('logRank of %s', (_name, ageMs, rank) => {
    expect(logRank(ageMs)).toBe(rank);
  });

  it('prefers the pod ready for less time, whatever its UID; equal log ranks fall back to the UID', () => {
    const now = 1_000_000;
    expect(deletionKey(now, now - 15_000, 7)).toBeLessThan(deletionKey(now, now - 75_000, 3));
    // 20 s and 30 s are both in rank floor(log2(2e10..3e10 ns)) = 34: the UID decides.
    const a = deletionKey(now, now - 20_000, 1);
    const b = deletionKey(now, now - 30_000, 2);
    expect(a < b).toBe(podUid(1) < podUid(2));
  });
});

describe('--scale-down kubernetes (scripted policy through the loop)', () => {
  it('kills a busy pod after the grace period and retries its job at its original place; the killed attempt is paid', async () => {
    const run = await simulate({ ...base, workload: workload([1000], [100_000], 60_000), policy: scripted([1, 0, 1]), initialWorkers: 1 });
    // w0 busy from 1 s, SIGTERM at 15 s, killed at 45 s; a new pod (requested at 30 s, never the deleted one) runs the job 90 → 190 s.
    expect(rows(run)).toEqual([[0, 1, 1, 0], [1, 1, 1, 1], [30, 2, 1, 1], [45, 1, 0, 0], [90, 1, 1, 1], [190, 0, 0, 0]]);
    expect(run.summary.workerHours * 3600).toBeCloseTo(45 + 160, 9);
    expect(run.summary.utilization).toBeCloseTo((44 + 100) / 205, 12);
    expect(run.summary.killedAttempts).toBe(1);
    expect(run.summary.killedWorkerHours! * 3600).toBeCloseTo(44, 9);
    expect(run.summary.latencySeconds.max).toBe(189);
    const k = run.jobs!.killed!;
    expect([k.length, k.job[0], k.startMs[0], k.endMs[0], k.worker[0]]).toEqual([1, 0, 1000, 45_000, 0]);
    expect([run.jobs!.startMs[0], run.jobs!.endMs[0], run.jobs!.worker[0]]).toEqual([90_000, 190_000, 1]);
  });

  it('a pod that finishes within the grace period just stops', async () => {
    const run = await simulate({ ...base, workload: workload([1000], [20_000], 60_000), policy: scripted([1, 0]), initialWorkers: 1 });
    expect(rows(run)).toEqual([[0, 1, 1, 0], [1, 1, 1, 1], [21, 0, 0, 0], [60, 0, 0, 0]]);
    expect(run.summary.killedAttempts).toBe(0);
  });

  it.each([
    // mode, final end of the job, killed attempts
    ['kubernetes', 305_000, 1],
    ['drain', 261_000, 0],
  ] as const)('%s: removes the most recently ready pod, busy or not (drain removes the idle one)', async (mode, end, killed) => {
    // w0 ready at 0; w1 requested at 0, ready at 60 s, takes the job at 61 s; at 75 s the fleet goes to 1.
    const run = await simulate({
      ...base, scaleDown: mode, workload: workload([61_000], [200_000], 120_000), policy: scripted([2, 2, 2, 2, 2, 1]), initialWorkers: 1,
    });
    expect(run.jobs!.endMs[0]).toBe(end);
    expect(run.summary.killedAttempts ?? 0).toBe(killed);
  });

  it('removes a starting pod before a ready one', async () => {
    const run = await simulate({ ...base, workload: workload([], [], 120_000), policy: scripted([2, 1]), initialWorkers: 1 });
    expect(rows(run)).toEqual([[0, 2, 1, 0], [15, 1, 1, 0], [120, 0, 0, 0]]);
  });
});

describe('kubernetes scale-down outputs are recomputable from --jobs-out and --workers-out', () => {
  it('hpa on a day of NASA: cost from the worker rows, busy time from every attempt row, SLO from the final rows', async () => {
    const r = await runSimulation({
      trace: loadTraceFile(NASA_DAY), policies: ['hpa-tuned'], config: resolveScalingConfig({}), peakLoad: 6, seed: 3,
      scaleDown: 'kubernetes', graceSeconds: 20, recordJobs: true, recordWorkerLog: true, outOfSample: false,
    });
    const run = r.runs[0]!;
    expect(run.summary.killedAttempts).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'sim-k8s-'));
    writeJobsCsv(join(dir, 'jobs.csv'), run.jobs!);
    writeWorkersCsv(join(dir, 'workers.csv'), run.workerLog!);
    const jobLines = readFileSync(join(dir, 'jobs.csv'), 'utf8').trim().split('\n');
    expect(jobLines[0]).toBe('id,arrival,start,end,worker,outcome');
    const attempts = jobLines.slice(1).map((l) => l.split(','));
    const final = attempts.filter((a) => a[5] === 'completed');
    expect(final).toHaveLength(run.summary.jobs);
    expect(attempts.filter((a) => a[5] === 'killed')).toHaveLength(run.summary.killedAttempts!);
    let busy = 0;
    let killedBusy = 0;
    for (const a of attempts) {
      const d = Number(a[3]) - Number(a[2]);
      busy += d;
      if (a[5] === 'killed') killedBusy += d;
    }
    const within = final.filter((a) => Number(a[3]) - Number(a[1]) <= 120 + 1e-9).length;
    const log = readFileSync(join(dir, 'workers.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    let paid = 0;
    let busyFromLog = 0;
    for (let i = 0; i + 1 < log.length; i++) {
      paid += log[i]![1]! * (log[i + 1]![0]! - log[i]![0]!);
      busyFromLog += log[i]![3]! * (log[i + 1]![0]! - log[i]![0]!);
    }
    expect(paid / 3600).toBeCloseTo(run.summary.workerHours, 6);
    expect((paid / 3600) * 2).toBeCloseTo(run.summary.cost, 6);
    expect(busy / paid).toBeCloseTo(run.summary.utilization, 9);
    expect(busyFromLog).toBeCloseTo(busy, 3);
    expect(killedBusy / 3600).toBeCloseTo(run.summary.killedWorkerHours!, 6);
    expect(within / final.length).toBe(run.summary.sloAttainment);
  });
});
