/**
 * What `bountybot simulate` prints and writes: the `--json` objects, the `--jobs-out` and
 * `--workers-out` CSVs (seconds from the trace start, millisecond precision, which is the
 * simulator's own resolution, so sums over them reproduce the JSON) and the readable table.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { JobRecords, PolicySummary, SimulationResult, SimulationRun, WindowSummary, WorkerLog } from './types.js';

/** The contract's fields first, in the documented order, then the extras. */
export function summaryJson(s: PolicySummary): PolicySummary {
  return {
    policy: s.policy,
    jobs: s.jobs,
    completed: s.completed,
    lost: s.lost,
    cost: s.cost,
    workerHours: s.workerHours,
    utilization: s.utilization,
    latencySeconds: { p50: s.latencySeconds.p50, p95: s.latencySeconds.p95, p99: s.latencySeconds.p99, max: s.latencySeconds.max },
    sloSeconds: s.sloSeconds,
    sloAttainment: s.sloAttainment,
    scaleActions: s.scaleActions,
    peakWorkers: s.peakWorkers,
    meanWorkers: s.meanWorkers,
    ...(s.params ? { params: s.params } : {}),
    ...(s.reference ? { reference: true } : {}),
    ...(s.killedAttempts !== undefined ? { killedAttempts: s.killedAttempts, killedWorkerHours: s.killedWorkerHours ?? 0 } : {}),
    ...(s.engineSlo ? { engineSlo: s.engineSlo } : {}),
  };
}

/**
 * One policy's `--json` object: the contract fields (summaryJson), then `floor` (the trace's
 * busy worker-time × price), `secondHalf` (this run scored on the second half) and, for tuned
 * baselines, `outOfSample` (tuned on the first half, run on the whole trace, scored on the second).
 */
export function runJson(run: SimulationRun, result: SimulationResult): Record<string, unknown> {
  return {
    ...summaryJson(run.summary),
    floor: { ...result.floor },
    ...(run.secondHalf ? { secondHalf: { ...run.secondHalf, floorCost: result.secondHalfFloor.cost } } : {}),
    ...(run.outOfSample ? { outOfSample: run.outOfSample } : {}),
  };
}

const secs = (ms: number): string => (Number.isNaN(ms) ? '' : (ms / 1000).toFixed(3));

/** Writes lines in chunks (the files reach millions of rows). */
function writeLines(path: string, header: string, count: number, line: (i: number) => string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `${header}\n`);
    const chunk: string[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(line(i));
      if (chunk.length === 20_000) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk.length = 0;
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

/**
 * `id,arrival,start,end,worker`; a job that never ran has empty start/end/worker. Under
 * Kubernetes-like scale-down a column `outcome` is added and every attempt is a row, in order of
 * id: `killed` attempts (the worker was killed after the grace period; the job was retried, the
 * time paid) before the job's final row, `completed` (or `unfinished`). Busy time is then the sum
 * of end − start over all rows; latency and SLO use the final rows.
 */
export function writeJobsCsv(path: string, jobs: JobRecords): void {
  const row = (i: number): string => {
    const w = jobs.worker[i] ?? -1;
    return `${i},${secs(jobs.arrivalMs[i] ?? 0)},${secs(jobs.startMs[i] ?? Number.NaN)},${secs(jobs.endMs[i] ?? Number.NaN)},${w >= 0 ? w : ''}`;
  };
  const k = jobs.killed;
  if (k === undefined) {
    writeLines(path, 'id,arrival,start,end,worker', jobs.arrivalMs.length, row);
    return;
  }
  // Killed attempts in job order (stable: a job's attempts stay in time order).
  const order = Array.from({ length: k.length }, (_, i) => i).sort((a, b) => (k.job[a] ?? 0) - (k.job[b] ?? 0) || a - b);
  const lines: Array<[number, number]> = [];
  let next = 0;
  for (let j = 0; j < jobs.arrivalMs.length; j++) {
    while (next < order.length && (k.job[order[next] ?? 0] ?? 0) === j) lines.push([j, order[next++] ?? 0]);
    lines.push([j, -1]);
  }
  writeLines(path, 'id,arrival,start,end,worker,outcome', lines.length, (i) => {
    const [j, a] = lines[i] ?? [0, -1];
    if (a >= 0) return `${j},${secs(jobs.arrivalMs[j] ?? 0)},${secs(k.startMs[a] ?? 0)},${secs(k.endMs[a] ?? 0)},${k.worker[a] ?? ''},killed`;
    return `${row(j)},${Number.isNaN(jobs.endMs[j] ?? Number.NaN) ? 'unfinished' : 'completed'}`;
  });
}

/** `time,provisioned,ready,busy` at every change; the last row is the end of billing (all 0). */
export function writeWorkersCsv(path: string, log: WorkerLog): void {
  writeLines(path, 'time,provisioned,ready,busy', log.length, (i) =>
    `${secs(log.timeMs[i] ?? 0)},${log.provisioned[i] ?? 0},${log.ready[i] ?? 0},${log.busy[i] ?? 0}`);
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padEnd(n) : s.padStart(n);
}

const paramText = (p: Record<string, number> | undefined): string => (p ? Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') : '');

/** The SLO lines: what runs are scored on, and what our engine was given. */
export function sloLines(r: SimulationResult): string[] {
  const s = r.settings;
  const lines = [`SLO       scored: ${s.sloSeconds}s end to end for ${(s.sloTarget * 100).toFixed(2)}% of jobs (also the tuned baselines' search target)`];
  for (const run of r.runs) {
    const e = run.summary.engineSlo;
    if (e === undefined) continue;
    lines.push(e.source === 'not in this engine'
      ? `          ${run.policy}: this engine has no SLO keys yet; it sizes for its own wait target (target_wait_seconds at wait_percentile)`
      : `          ${run.policy}: engine sizes for ${e.sloSeconds ?? '?'}s at ${((e.sloTarget ?? Number.NaN) * 100).toFixed(2)}% (from ${e.source})`);
  }
  return lines;
}

function row(name: string, m: Omit<PolicySummary, 'policy'> | WindowSummary, params: string, floorCost: number, widths: readonly number[]): string {
  const cells = [
    name, m.cost.toFixed(2), (m.cost / floorCost).toFixed(3), m.workerHours.toFixed(1), m.utilization.toFixed(3),
    m.latencySeconds.p50.toFixed(1), m.latencySeconds.p95.toFixed(1), m.latencySeconds.p99.toFixed(1),
    m.latencySeconds.max.toFixed(1), (m.sloAttainment * 100).toFixed(2), String(m.scaleActions),
    String(m.peakWorkers), m.meanWorkers.toFixed(2), params,
  ];
  return cells.map((c, i) => pad(c, widths[i] ?? 0, i === 0 || i === cells.length - 1)).join(' ');
}

/** A readable report: workload, settings, one row per policy and the floor; then the second half. */
export function formatTable(r: SimulationResult): string {
  const w = r.workload;
  const s = r.settings;
  const lines: string[] = [];
  lines.push(
    `workload  ${w.source}: ${w.jobs} jobs over ${(w.durationSeconds / 86400).toFixed(2)} days, bin ${w.binSeconds}s, ` +
    `scale ${w.scale.toPrecision(4)}, busiest hour ${w.peakHourLoad.toFixed(1)} workers of load (busiest bin ${w.peakBinLoad.toFixed(1)})`,
    `settings  service ${w.serviceTimeSeconds}s (cv ${w.serviceCv}), start-up ${s.startupSeconds}s, every ${s.intervalSeconds}s, ` +
    `max ${s.maxWorkers} workers, $${s.costPerWorkerHour}/worker-h, budgets ${s.enforceBudgets ? 'enforced' : 'not binding'}, ` +
    `scale-down ${s.scaleDown}${s.scaleDown === 'kubernetes' ? ` (grace ${s.graceSeconds}s)` : ''}, seed ${s.seed}`,
    ...sloLines(r),
    '',
  );
  const head = ['policy', 'cost $', '/floor', 'worker-h', 'util', 'p50 s', 'p95 s', 'p99 s', 'max s', 'SLO %', 'actions', 'peak', 'mean', 'params'];
  const width = Math.max(16, ...r.runs.map((x) => x.policy.length + 12));
  const widths = [width, 11, 7, 10, 6, 8, 8, 8, 9, 7, 8, 5, 6, 0];
  const header = head.map((h, i) => pad(h, widths[i] ?? 0, i === 0 || i === head.length - 1)).join(' ');
  lines.push(header);
  for (const run of r.runs) {
    const m = run.summary;
    const killed = m.killedAttempts ? ` killed=${m.killedAttempts}` : '';
    lines.push(row(m.policy + (m.reference ? '*' : ''), m, paramText(m.params) + killed, r.floor.cost, widths));
  }
  lines.push(floorLine(r.floor.cost, r.floor.busyWorkerHours, widths));
  const from = s.secondHalfFromSeconds;
  const half = r.runs.filter((x) => x.secondHalf !== undefined);
  if (half.length > 0) {
    lines.push(
      '',
      `second half: jobs arriving from ${new Date(Date.parse(w.start) + from * 1000).toISOString()} (${(from / 86400).toFixed(2)} days in), ` +
      'worker-time paid from then on; (oos) = tuned on the first half only, then run on the whole trace',
      header,
    );
    for (const run of half) {
      if (run.secondHalf) lines.push(row(`${run.policy} (2nd half)`, run.secondHalf, paramText(run.summary.params), r.secondHalfFloor.cost, widths));
      const oos = run.outOfSample;
      if (oos) lines.push(row(`${run.policy} (oos)`, oos.heldOut, paramText(oos.params), r.secondHalfFloor.cost, widths));
    }
    lines.push(floorLine(r.secondHalfFloor.cost, r.secondHalfFloor.busyWorkerHours, widths));
  }
  if (r.runs.some((x) => x.summary.reference)) {
    lines.push('', '* reference only: sees the future (perfect knowledge of arrivals and service times); not a realizable policy, not a cost bound');
  }
  lines.push('floor = busy worker-time x price: every policy serves the same jobs, so none can cost less');
  const lost = r.runs.filter((x) => x.summary.lost > 0);
  if (lost.length > 0) lines.push('', `lost jobs: ${lost.map((x) => `${x.policy} ${x.summary.lost}`).join(', ')}`);
  return lines.join('\n');
}

function floorLine(cost: number, busyHours: number, widths: readonly number[]): string {
  const cells = ['floor', cost.toFixed(2), '1.000', busyHours.toFixed(1), '1.000', '', '', '', '', '', '', '', '', 'busy worker-time x price'];
  return cells.map((c, i) => pad(c, widths[i] ?? 0, i === 0 || i === cells.length - 1)).join(' ');
}
