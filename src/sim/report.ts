/**
 * `--report out.html`: one self-contained, offline HTML file (Chart.js inlined, no network) with
 * the charts of a simulation run, every policy overlaid in its own colour, and the results table
 * (the `--json` fields). Long runs are downsampled (see report-data.ts) so four weeks stay small.
 */
import { writeFileSync } from 'node:fs';
import { chartJsBundle, chartKitSource } from '../charts/assets.js';
import { buildChartData, type ReportChartData } from './report-data.js';
import { REPORT_CLIENT_JS } from './report-client.js';
import type { CostFloor, PolicySummary, SimulationResult, SimulationRun, SimulationSettings, WindowSummary, WorkloadInfo } from './types.js';

export interface ReportOptions {
  title?: string;
  /** The SLO line of the latency chart (default: the first run's summary.sloSeconds). */
  sloSeconds?: number;
  workload?: WorkloadInfo;
  settings?: SimulationSettings;
  /** The command line that produced the run, shown verbatim. */
  command?: string;
  /** Most points per chart series (default 2000). */
  maxPoints?: number;
  /** "Generated at" time (default now); injectable for reproducible output. */
  generatedAt?: Date;
  /** Busy worker-time × price, shown as the table's last row. */
  floor?: CostFloor;
  /** The same for the second half (the second-half table). */
  secondHalfFloor?: CostFloor;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no "</script", "<!--" or line separators survive. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const fmt = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(2)} %` : 'n/a');

const HEAD = [
  'policy', 'cost', 'cost ÷ floor', 'worker-hours', 'utilization', 'p50 s', 'p95 s', 'p99 s', 'max s', 'SLO attainment',
  'scale actions', 'peak workers', 'mean workers', 'jobs', 'completed', 'lost', 'parameters',
];

function cellsOf(s: Omit<PolicySummary, 'policy'> | WindowSummary, floorCost: number | undefined): string {
  return [
    fmt(s.cost, 2), floorCost !== undefined && floorCost > 0 ? fmt(s.cost / floorCost, 3) : 'n/a', fmt(s.workerHours, 2), pct(s.utilization),
    fmt(s.latencySeconds.p50, 1), fmt(s.latencySeconds.p95, 1), fmt(s.latencySeconds.p99, 1), fmt(s.latencySeconds.max, 1),
    pct(s.sloAttainment), String(s.scaleActions), String(s.peakWorkers), fmt(s.meanWorkers, 2), String(s.jobs), String(s.completed), String(s.lost),
  ].map((c) => `<td class="num">${escapeHtml(c)}</td>`).join('');
}

function floorRow(floor: CostFloor | undefined): string {
  if (floor === undefined) return '';
  return `<tr data-policy="floor" class="floor"><th scope="row" title="every policy serves the same jobs, so none can cost less">floor</th>` +
    `<td class="num">${escapeHtml(fmt(floor.cost, 2))}</td><td class="num">1.000</td><td class="num">${escapeHtml(fmt(floor.busyWorkerHours, 2))}</td>` +
    `<td class="num">100.00 %</td>${'<td></td>'.repeat(HEAD.length - 6)}<td>busy worker-time × price</td></tr>`;
}

const tableHead = (): string => `<thead><tr>${HEAD.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
const paramText = (p: Record<string, number> | undefined): string => Object.entries(p ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');

function resultsTable(runs: readonly SimulationRun[], data: ReportChartData, floor: CostFloor | undefined): string {
  const rows = runs.map((r, i) => {
    const s = r.summary;
    const color = data.policies[i]?.color ?? '#000000';
    const name = `<span class="swatch" style="background:${escapeHtml(color)}"></span>${escapeHtml(r.policy)}` +
      (s.reference === true ? ' <span class="tag" title="sees the future: a reference, not a real controller and not a cost bound">reference: sees the future</span>' : '');
    return `<tr data-policy="${escapeHtml(r.policy)}"><th scope="row" title="${escapeHtml(r.description)}">${name}</th>` +
      `${cellsOf(s, floor?.cost)}<td>${escapeHtml(paramText(s.params))}</td></tr>`;
  });
  return `<table id="results">${tableHead()}<tbody>${rows.join('\n')}${floorRow(floor)}</tbody></table>`;
}

/** The second half: every run scored on it, and the tuned baselines tuned on the first half only (oos). */
function secondHalfTable(runs: readonly SimulationRun[], floor: CostFloor | undefined): string {
  const rows: string[] = [];
  for (const r of runs) {
    if (r.secondHalf) {
      rows.push(`<tr data-policy="${escapeHtml(`${r.policy} (2nd half)`)}"><th scope="row">${escapeHtml(`${r.policy} (2nd half)`)}</th>` +
        `${cellsOf(r.secondHalf, floor?.cost)}<td>${escapeHtml(paramText(r.summary.params))}</td></tr>`);
    }
    const oos = r.outOfSample;
    if (oos) {
      rows.push(`<tr data-policy="${escapeHtml(`${r.policy} (oos)`)}"><th scope="row" title="tuned on the first half only, run on the whole trace">${escapeHtml(`${r.policy} (oos)`)}</th>` +
        `${cellsOf(oos.heldOut, floor?.cost)}<td>${escapeHtml(paramText(oos.params))}</td></tr>`);
    }
  }
  if (rows.length === 0) return '';
  return `<table id="second-half">${tableHead()}<tbody>${rows.join('\n')}${floorRow(floor)}</tbody></table>`;
}

function describeRun(opts: ReportOptions, data: ReportChartData, sloSeconds: number, runs: readonly SimulationRun[]): string {
  const items: Array<[string, string]> = [];
  const w = opts.workload;
  if (w !== undefined) {
    items.push(
      ['workload', w.source], ['start', w.start], ['duration', `${(w.durationSeconds / 86_400).toFixed(2)} days`],
      ['bin width', `${w.binSeconds} s`], ['jobs', String(w.jobs)], ['scale', fmt(w.scale, 4)],
      ['busiest-hour load', `${fmt(w.peakHourLoad, 2)} workers`], ['busiest-bin load', `${fmt(w.peakBinLoad, 2)} workers`],
      ['service time', `lognormal, mean ${w.serviceTimeSeconds} s, CV ${w.serviceCv}`],
    );
  }
  const st = opts.settings;
  if (st !== undefined) {
    items.push(
      ['seed', String(st.seed)], ['worker start-up', `${st.startupSeconds} s`], ['evaluation interval', `${st.intervalSeconds} s`],
      ['SLO', `${st.sloSeconds} s, target ${pct(st.sloTarget)}`], ['scale-down', st.scaleDown === 'kubernetes' ? `kubernetes (ReplicaSet order, grace ${st.graceSeconds} s)` : 'drain'], ['workers', `${st.minWorkers}–${st.maxWorkers}`],
      ['cost per worker-hour', fmt(st.costPerWorkerHour, 2)], ['budgets enforced', st.enforceBudgets ? 'yes' : 'no'],
    );
  } else {
    items.push(['SLO', `${sloSeconds} s`]);
  }
  for (const r of runs) {
    const e = r.summary.engineSlo;
    if (e === undefined) continue;
    items.push([`engine SLO (${r.policy})`, e.source === 'not in this engine'
      ? 'none: this engine has no SLO keys yet (it sizes for its own wait target)'
      : `${e.sloSeconds ?? '?'} s, target ${pct(e.sloTarget ?? Number.NaN)} (from ${e.source})`]);
  }
  if (opts.command !== undefined) items.push(['command', opts.command]);
  items.push(['chart resolution', `${data.bucketMinutes} min per point (workers, arrivals, forecasts: mean; queue, latency: max)`]);
  return `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1280px;padding:0 16px;color:#222}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 6px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 0}dt{color:#666}dd{margin:0;word-break:break-all}
.chart{position:relative;height:320px}.small{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:12px}
.small figure{margin:0}.small .chart{height:220px}figcaption{font-weight:600;margin:4px 0}
table{border-collapse:collapse;font-size:13px;width:100%;margin-top:6px}th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}thead th{background:#f4f4f4}
.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.note{color:#666;font-size:12.5px}button{font-size:12px;margin-left:8px;padding:1px 8px;cursor:pointer}tbody th{white-space:nowrap}
tr.floor th,tr.floor td{border-top:2px solid #999;color:#444}
.tag{font-size:11px;font-weight:normal;color:#555;border:1px solid #bbb;border-radius:3px;padding:0 3px;margin-left:4px}
`;

export function renderReport(runs: readonly SimulationRun[], opts: ReportOptions = {}): string {
  const sloSeconds = opts.sloSeconds ?? opts.settings?.sloSeconds ?? runs[0]?.summary.sloSeconds ?? 120;
  const startMs = opts.workload !== undefined ? Date.parse(opts.workload.start) : Number.NaN;
  const data = buildChartData(runs, {
    startMs: Number.isFinite(startMs) ? startMs : null, sloSeconds, maxPoints: opts.maxPoints ?? 2000,
  });
  const title = opts.title ?? `BountyBot simulation${opts.workload !== undefined ? `: ${opts.workload.source}` : ''}`;
  const generated = (opts.generatedAt ?? new Date()).toISOString();
  const small = runs.map((r, i) => `<figure><figcaption><span class="swatch" style="background:${escapeHtml(data.policies[i]?.color ?? '#000')}"></span>` +
    `${escapeHtml(r.policy)}: provisioned / ready / busy</figcaption><div class="chart"><canvas id="chart-workers-${i}" role="img" ` +
    `aria-label="${escapeHtml(`${r.policy} workers`)}"></canvas></div></figure>`).join('\n');
  const chart = (id: string, heading: string, note: string, toggle = false): string =>
    `<h2>${escapeHtml(heading)}</h2><p class="note">${escapeHtml(note)}${toggle ? ` <button type="button" data-chart="${id}">log scale</button>` : ''}</p>` +
    `<div class="chart"><canvas id="${id}" role="img" aria-label="${escapeHtml(heading)}"></canvas></div>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">Generated ${escapeHtml(generated)} by bountybot. Every policy saw the same arrivals and service times. Times are UTC.</p>
${describeRun(opts, data, sloSeconds, runs)}
<h2>Results</h2>
<p class="note">Cost = worker-hours × cost per worker-hour; utilization = busy ÷ paid worker-time; latency = end − arrival; SLO attainment counts unfinished jobs as misses. The floor (busy worker-time × price) is what serving these jobs costs at 100 % utilization: no policy can cost less. Hover a policy name for its description; <em>reference</em> marks a policy that sees the future (not a real controller, not a cost bound).</p>
${resultsTable(runs, data, opts.floor)}
${secondHalfSection(runs, opts)}
${chart('chart-arrivals', 'Arrivals and forecast', 'Jobs arriving per minute and each policy\'s forecast of it (where the policy forecasts).')}
${chart('chart-workers', 'Workers provisioned', 'Paid workers per policy (starting, idle, busy and draining). Click a legend entry to hide a policy.', true)}
<h2>Workers per policy</h2>
<p class="note">Provisioned (solid), ready (dashed) and busy (filled).</p>
<div class="small">
${small}
</div>
${chart('chart-queue', 'Queue depth', 'Jobs waiting for a worker (on a log scale an empty queue leaves a gap).', true)}
${chart('chart-latency', 'Latency vs SLO', `p95 of end − arrival of the jobs finishing in each minute; the dashed red line is the SLO (${sloSeconds} s).`, true)}
<script>${chartJsBundle()}</script>
<script>${chartKitSource()}</script>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${REPORT_CLIENT_JS}</script>
</body>
</html>
`;
}

function secondHalfSection(runs: readonly SimulationRun[], opts: ReportOptions): string {
  const table = secondHalfTable(runs, opts.secondHalfFloor);
  if (table === '') return '';
  const from = opts.settings?.secondHalfFromSeconds;
  const when = from !== undefined ? ` (from ${(from / 86_400).toFixed(2)} days in)` : '';
  return `<h2>Second half${escapeHtml(when)}</h2><p class="note">Each run scored on the jobs arriving in the second half and the worker-time paid in it; ` +
    '<em>(oos)</em>: a tuned baseline tuned on the first half only, then run on the whole trace (out of sample).</p>' + table;
}

/** Writes the report of `runs` to `path` (the `simulate --report` hook). */
export function writeReport(path: string, runs: readonly SimulationRun[], opts: ReportOptions = {}): void {
  writeFileSync(path, renderReport(runs, opts));
}

/** Report options taken from a whole simulation result. */
export function reportOptionsFor(result: SimulationResult, extra: Omit<ReportOptions, 'workload' | 'settings' | 'floor' | 'secondHalfFloor'> = {}): ReportOptions {
  return {
    workload: result.workload, settings: result.settings, sloSeconds: result.settings.sloSeconds,
    floor: result.floor, secondHalfFloor: result.secondHalfFloor, ...extra,
  };
}

/** The `simulate --report` hook (src/cli/simulate.ts loads this export): the whole result as one page. */
export function renderSimulationReport(result: SimulationResult, extra: Omit<ReportOptions, 'workload' | 'settings'> = {}): string {
  return renderReport(result.runs, reportOptionsFor(result, extra));
}
