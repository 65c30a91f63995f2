/**
 * Issue 8's grid: every shared trace at peak load 30 × SLO {90, 120, 180, 300} s, our default
 * config (plus the SLO only) against `hpa-tuned` (queue target and stabilization window searched
 * with hindsight) and its out-of-sample version; the table and the PASS/FAIL lines of the targets.
 */
import { basename } from 'node:path';
import { median } from '../sim/stats.js';
import type { CompactResult, CompactRun, SimTask } from './sim-tasks.js';
import { fix, paramText, pct } from './sim-tables.js';

export const GRID_SLOS: readonly number[] = [90, 120, 180, 300];
/** The SLO of the full per-trace tables (every policy) and of the scale-down comparison. */
export const MAIN_SLO = 120;

export interface TargetRow {
  target: string;
  where: string;
  measured: string;
  pass: boolean | null;
}

export interface GridCell {
  trace: string;
  slo: number;
  ours?: CompactRun;
  hpa?: CompactRun;
  sim?: CompactResult;
}

/** Tasks for one trace file: every policy at MAIN_SLO, ours and hpa-tuned at the other SLOs, the baselines under Kubernetes-like scale-down at MAIN_SLO. */
export function traceTasks(file: string, firstId: number, base: Pick<SimTask, 'peakLoad' | 'seed'>, allPolicies: readonly string[]): SimTask[] {
  let id = firstId;
  const task = (policies: readonly string[], sloSeconds: number, scaleDown: SimTask['scaleDown'], outOfSample: boolean): SimTask => ({
    id: id++, workload: file, policies: [...policies], sloSeconds, scaleDown, outOfSample, ...base,
  });
  return [
    task(allPolicies, MAIN_SLO, 'drain', true),
    ...GRID_SLOS.filter((s) => s !== MAIN_SLO).map((s) => task(['hpa-tuned', 'bountybot'], s, 'drain', true)),
    task(['hpa-tuned', 'keda-tuned'], MAIN_SLO, 'kubernetes', false),
  ];
}

const traceName = (file: string): string => basename(file, '.csv');

/** The grid's cells from the drain results of `traceTasks`. */
export function gridCells(files: readonly string[], results: ReadonlyMap<string, CompactResult>): GridCell[] {
  const cells: GridCell[] = [];
  for (const file of files) {
    for (const slo of GRID_SLOS) {
      const sim = results.get(resultKey(file, slo, 'drain'));
      const find = (p: string): CompactRun | undefined => sim?.runs.find((r) => r.policy === p);
      cells.push({ trace: traceName(file), slo, ...withDefined({ ours: find('bountybot'), hpa: find('hpa-tuned'), sim }) });
    }
  }
  return cells;
}

export function resultKey(workload: string, slo: number, mode: string): string {
  return `${workload}|${slo}|${mode}`;
}

function withDefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

const ratio = (c: GridCell): number => (c.ours && c.hpa ? c.ours.summary.cost / c.hpa.summary.cost : Number.NaN);
const oosRatio = (c: GridCell): number => {
  const ours = c.ours?.secondHalf?.cost;
  const hpa = c.hpa?.outOfSample?.heldOut.cost;
  return ours !== undefined && hpa !== undefined ? ours / hpa : Number.NaN;
};
const hpaMeets = (c: GridCell): boolean => c.hpa !== undefined && c.hpa.summary.sloAttainment >= (c.sim?.settings.sloTarget ?? 0.99);

/** trace × SLO → our cost / hpa-tuned cost, both attainments, cost ÷ floor, and the out-of-sample ratio. */
export function gridMarkdown(cells: readonly GridCell[]): string {
  const head = ['trace', 'SLO', 'ours cost', 'hpa-tuned cost', 'hpa-tuned setting', 'ours ÷ hpa-tuned', 'ours SLO', 'hpa-tuned SLO',
    'ours ÷ floor', 'hpa-tuned ÷ floor', 'floor', '2nd half: ours', '2nd half: hpa-tuned (oos)', 'ours ÷ oos', 'oos setting'];
  const rows = cells.map((c) => {
    const floor = c.sim?.floor.cost ?? Number.NaN;
    const oos = c.hpa?.outOfSample;
    return [c.trace, `${c.slo} s`, fix(c.ours?.summary.cost ?? Number.NaN, 0), fix(c.hpa?.summary.cost ?? Number.NaN, 0),
      paramText(c.hpa?.summary.params), fix(ratio(c), 3), pct(c.ours?.summary.sloAttainment ?? Number.NaN),
      pct(c.hpa?.summary.sloAttainment ?? Number.NaN), fix((c.ours?.summary.cost ?? Number.NaN) / floor, 3),
      fix((c.hpa?.summary.cost ?? Number.NaN) / floor, 3), fix(floor, 0),
      `${fix(c.ours?.secondHalf?.cost ?? Number.NaN, 0)} (${pct(c.ours?.secondHalf?.sloAttainment ?? Number.NaN)})`,
      `${fix(oos?.heldOut.cost ?? Number.NaN, 0)} (${pct(oos?.heldOut.sloAttainment ?? Number.NaN)})`, fix(oosRatio(c), 3), paramText(oos?.params)];
  });
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Issue 8's simulator targets, computed from the measured cells (forecast rows come from their own hook). */
export function gridTargets(cells: readonly GridCell[]): TargetRow[] {
  const where = `${new Set(cells.map((c) => c.trace)).size} traces × ${GRID_SLOS.length} SLOs`;
  const measured = cells.filter((c) => c.ours && c.hpa);
  if (measured.length === 0) return [{ target: 'SLO grid', where, measured: 'not measured', pass: null }];
  const name = (c: GridCell): string => `${c.trace} @ ${c.slo} s`;
  const rows: TargetRow[] = [];
  const misses = measured.filter((c) => (c.ours?.summary.sloAttainment ?? 0) < 0.99);
  rows.push({
    target: 'bountybot SLO attainment ≥ 99 % in every cell', where,
    measured: `lowest ${pct(Math.min(...measured.map((c) => c.ours?.summary.sloAttainment ?? 0)))}` +
      (misses.length > 0 ? `; below in ${misses.map(name).join(', ')}` : ''),
    pass: misses.length === 0,
  });
  const comparable = measured.filter(hpaMeets);
  const over = comparable.filter((c) => ratio(c) > 1);
  rows.push({
    target: 'bountybot cost ≤ 1.00 × hpa-tuned in every cell where hpa-tuned meets the SLO', where: `${comparable.length} cells`,
    measured: `highest ${fix(Math.max(...comparable.map(ratio)), 3)}×` + (over.length > 0 ? `; above 1 in ${over.map((c) => `${name(c)} (${fix(ratio(c), 3)}×)`).join(', ')}` : ''),
    pass: comparable.length > 0 && over.length === 0,
  });
  const med = median(comparable.map(ratio));
  rows.push({ target: 'median over cells of bountybot ÷ hpa-tuned ≤ 0.95', where: `${comparable.length} cells`, measured: `${fix(med, 3)}×`, pass: med <= 0.95 });
  const oos = measured.filter((c) => Number.isFinite(oosRatio(c)));
  const oosOver = oos.filter((c) => oosRatio(c) > 0.9);
  rows.push({
    target: 'bountybot cost ≤ 0.90 × hpa-tuned out of sample (tuned on the 1st half, both scored on the 2nd) in every cell', where: `${oos.length} cells`,
    measured: `median ${fix(median(oos.map(oosRatio)), 3)}×, highest ${fix(Math.max(...oos.map(oosRatio)), 3)}×` +
      (oosOver.length > 0 ? `; above 0.90 in ${oosOver.length} of ${oos.length}` : ''),
    pass: oos.length > 0 && oosOver.length === 0,
  });
  return rows;
}

export function targetsMarkdown(rows: readonly TargetRow[], intro: string): string {
  const mark = (p: boolean | null): string => (p === null ? 'not measured' : p ? '**PASS**' : '**FAIL**');
  const passed = rows.filter((r) => r.pass === true).length;
  return [
    `${passed} of ${rows.length} targets met (${intro}, from the numbers measured below).`,
    '',
    '| target | where | measured | result |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.target} | ${r.where} | ${r.measured} | ${mark(r.pass)} |`),
  ].join('\n');
}
