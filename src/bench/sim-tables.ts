/**
 * Markdown tables of the bench's simulations: one policy per row with the floor row, the second
 * half (every run scored on it, tuned baselines out of sample), and the scale-down comparison.
 */
import type { WindowSummary } from '../sim/types.js';
import type { CompactResult, CompactRun } from './sim-tasks.js';

export const fix = (v: number, d: number): string => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
export const pct = (v: number, d = 2): string => (Number.isFinite(v) ? `${(v * 100).toFixed(d)} %` : 'n/a');

export function paramText(p: Record<string, number> | undefined): string {
  return Object.entries(p ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

function mdTable(head: readonly string[], rows: readonly string[][]): string[] {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** Every policy of one simulation at one SLO, the floor, then the second half. */
export function simTable(sim: CompactResult): string {
  const head = ['policy', 'cost', 'cost ÷ floor', 'workerHours', 'utilization', 'p95 s', 'p99 s', 'SLO attainment', 'peak workers',
    'mean workers', 'scale actions', 'lost', 'simulations', 'wall s'];
  const floor = sim.floor.cost;
  const rows = sim.runs.map((r) => {
    const s = r.summary;
    const params = paramText(s.params);
    const name = `${r.policy}${s.reference === true ? ' (reference: sees the future)' : ''}${params !== '' ? ` [${params}]` : ''}`;
    return [name, fix(s.cost, 2), fix(s.cost / floor, 3), fix(s.workerHours, 2), pct(s.utilization, 1), fix(s.latencySeconds.p95, 1),
      fix(s.latencySeconds.p99, 1), pct(s.sloAttainment), String(s.peakWorkers), fix(s.meanWorkers, 2), String(s.scaleActions),
      String(s.lost), String(r.simulations + (r.outOfSample?.simulations ?? 0)), fix(r.wallMs / 1000, 2)];
  });
  rows.push(['**floor** (busy worker-time × price)', fix(floor, 2), '1.000', fix(sim.floor.busyWorkerHours, 2), '100.0 %', '', '', '', '', '', '', '', '', '']);
  const w = sim.workload;
  const st = sim.settings;
  return [
    `${w.jobs.toLocaleString('en-US')} jobs over ${fix(w.durationSeconds / 86_400, 2)} days (bins of ${w.binSeconds} s), ` +
      `scale ×${fix(w.scale, 4)}, busiest-hour load ${fix(w.peakHourLoad, 1)} workers, busiest-bin load ${fix(w.peakBinLoad, 1)}; ` +
      `service lognormal mean ${w.serviceTimeSeconds} s CV ${w.serviceCv}; start-up ${st.startupSeconds} s, ` +
      `evaluation every ${st.intervalSeconds} s, SLO ${st.sloSeconds} s (searches target ${pct(st.sloTarget, 0)}), ` +
      `fleet cap ${st.maxWorkers}, scale-down ${st.scaleDown}.`,
    '',
    ...mdTable(head, rows),
    '',
    secondHalfTable(sim),
    '',
    `Simulation speed: ${speed(sim)}.`,
  ].join('\n');
}

function halfRow(name: string, h: WindowSummary, floor: number, params: string): string[] {
  return [name, fix(h.cost, 2), fix(h.cost / floor, 3), pct(h.sloAttainment), fix(h.latencySeconds.p99, 1), params];
}

/** The second half: every run scored on it, and the tuned baselines tuned on the first half only (oos). */
export function secondHalfTable(sim: CompactResult): string {
  const floor = sim.secondHalfFloor.cost;
  const rows: string[][] = [];
  for (const r of sim.runs) {
    if (r.secondHalf) rows.push(halfRow(`${r.policy} (2nd half)`, r.secondHalf, floor, paramText(r.summary.params)));
    if (r.outOfSample) rows.push(halfRow(`${r.policy} (oos)`, r.outOfSample.heldOut, floor, paramText(r.outOfSample.params)));
  }
  if (rows.length === 0) return '';
  rows.push(['**floor**', fix(floor, 2), '1.000', '', '', 'busy worker-time of the jobs arriving in the second half × price']);
  return [
    `Second half (from ${fix(sim.settings.secondHalfFromSeconds / 86_400, 2)} days): each run scored on the jobs arriving in it and the ` +
      'worker-time paid in it; *(oos)* = tuned on the first half only, then run on the whole trace.',
    '',
    ...mdTable(['run', 'cost', 'cost ÷ floor', 'SLO attainment', 'p99 s', 'parameters'], rows),
  ].join('\n');
}

function speed(sim: CompactResult): string {
  const jobs = sim.workload.jobs;
  const parts = sim.runs.filter((r) => r.simulations === 1 && r.wallMs > 0)
    .map((r) => `${r.policy} ${Math.round(jobs / (r.wallMs / 1000)).toLocaleString('en-US')} jobs/s`);
  const total = sim.runs.reduce((a, r) => a + r.wallMs, 0) / 1000;
  const sims = sim.runs.reduce((a, r) => a + r.simulations + (r.outOfSample?.simulations ?? 0), 0);
  return `${parts.join(', ')} (one simulation each); all policies ${fix(total, 1)} s for ${sims} simulations (wall time on a shared pool of threads)`;
}

/** Tuned baselines under both scale-down modes at one SLO (ours drains: its process-pool actuator really drains). */
export function scaleDownTable(drain: CompactResult | undefined, kube: CompactResult | undefined): string {
  const rows: string[][] = [];
  for (const policy of ['hpa-tuned', 'keda-tuned']) {
    for (const [mode, sim] of [['drain', drain], ['kubernetes', kube]] as const) {
      const r: CompactRun | undefined = sim?.runs.find((x) => x.policy === policy);
      if (r === undefined || sim === undefined) continue;
      const s = r.summary;
      rows.push([`${policy} (${mode})`, fix(s.cost, 2), fix(s.cost / sim.floor.cost, 3), pct(s.sloAttainment), fix(s.latencySeconds.p99, 1),
        String(s.killedAttempts ?? 0), fix(s.killedWorkerHours ?? 0, 1), paramText(s.params)]);
    }
  }
  const ours = drain?.runs.find((x) => x.policy === 'bountybot');
  if (ours && drain) {
    rows.push(['bountybot (drain)', fix(ours.summary.cost, 2), fix(ours.summary.cost / drain.floor.cost, 3), pct(ours.summary.sloAttainment),
      fix(ours.summary.latencySeconds.p99, 1), '0', '0.0', '']);
  }
  if (rows.length === 0) return '_not measured_';
  return mdTable(['policy (scale-down)', 'cost', 'cost ÷ floor', 'SLO attainment', 'p99 s', 'killed attempts', 'killed worker-h', 'tuned parameters'], rows).join('\n');
}
