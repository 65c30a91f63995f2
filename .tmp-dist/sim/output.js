/**
 * What `bountybot simulate` prints and writes: the `--json` objects, the `--jobs-out` and
 * `--workers-out` CSVs (seconds from the trace start, millisecond precision, which is the
 * simulator's own resolution, so sums over them reproduce the JSON) and the readable table.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
/** The contract's fields first, in the documented order, then the extras. */
export function summaryJson(s) {
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
    };
}
const secs = (ms) => (Number.isNaN(ms) ? '' : (ms / 1000).toFixed(3));
/** Writes lines in chunks (the files reach millions of rows). */
function writeLines(path, header, count, line) {
    const fd = openSync(path, 'w');
    try {
        writeSync(fd, `${header}\n`);
        const chunk = [];
        for (let i = 0; i < count; i++) {
            chunk.push(line(i));
            if (chunk.length === 20_000) {
                writeSync(fd, `${chunk.join('\n')}\n`);
                chunk.length = 0;
            }
        }
        if (chunk.length > 0)
            writeSync(fd, `${chunk.join('\n')}\n`);
    }
    finally {
        closeSync(fd);
    }
}
/** `id,arrival,start,end,worker`; a job that never ran has empty start/end/worker. */
export function writeJobsCsv(path, jobs) {
    writeLines(path, 'id,arrival,start,end,worker', jobs.arrivalMs.length, (i) => {
        const w = jobs.worker[i] ?? -1;
        return `${i},${secs(jobs.arrivalMs[i] ?? 0)},${secs(jobs.startMs[i] ?? Number.NaN)},${secs(jobs.endMs[i] ?? Number.NaN)},${w >= 0 ? w : ''}`;
    });
}
/** `time,provisioned,ready,busy` at every change; the last row is the end of billing (all 0). */
export function writeWorkersCsv(path, log) {
    writeLines(path, 'time,provisioned,ready,busy', log.length, (i) => `${secs(log.timeMs[i] ?? 0)},${log.provisioned[i] ?? 0},${log.ready[i] ?? 0},${log.busy[i] ?? 0}`);
}
function pad(s, n, right = false) {
    return right ? s.padEnd(n) : s.padStart(n);
}
/** A readable report: workload, settings, then one row per policy. */
export function formatTable(r) {
    const w = r.workload;
    const s = r.settings;
    const lines = [];
    lines.push(`workload  ${w.source}: ${w.jobs} jobs over ${(w.durationSeconds / 86400).toFixed(2)} days, bin ${w.binSeconds}s, ` +
        `scale ${w.scale.toPrecision(4)}, busiest hour ${w.peakHourLoad.toFixed(1)} workers of load (busiest bin ${w.peakBinLoad.toFixed(1)})`);
    lines.push(`settings  service ${w.serviceTimeSeconds}s (cv ${w.serviceCv}), start-up ${s.startupSeconds}s, every ${s.intervalSeconds}s, ` +
        `SLO ${s.sloSeconds}s (target ${(s.sloTarget * 100).toFixed(0)}%), max ${s.maxWorkers} workers, $${s.costPerWorkerHour}/worker-h, ` +
        `budgets ${s.enforceBudgets ? 'enforced' : 'not binding'}, seed ${s.seed}`);
    lines.push('');
    const head = ['policy', 'cost $', 'worker-h', 'util', 'p50 s', 'p95 s', 'p99 s', 'max s', 'SLO %', 'actions', 'peak', 'mean', 'params'];
    const widths = [12, 11, 10, 6, 8, 8, 8, 9, 7, 8, 5, 6, 0];
    lines.push(head.map((h, i) => pad(h, widths[i] ?? 0, i === 0 || i === head.length - 1)).join(' '));
    for (const run of r.runs) {
        const m = run.summary;
        const params = m.params ? Object.entries(m.params).map(([k, v]) => `${k}=${v}`).join(' ') : '';
        const cells = [
            m.policy + (m.reference ? '*' : ''), m.cost.toFixed(2), m.workerHours.toFixed(1), m.utilization.toFixed(3),
            m.latencySeconds.p50.toFixed(1), m.latencySeconds.p95.toFixed(1), m.latencySeconds.p99.toFixed(1),
            m.latencySeconds.max.toFixed(1), (m.sloAttainment * 100).toFixed(2), String(m.scaleActions),
            String(m.peakWorkers), m.meanWorkers.toFixed(2), params,
        ];
        lines.push(cells.map((c, i) => pad(c, widths[i] ?? 0, i === 0 || i === cells.length - 1)).join(' '));
    }
    if (r.runs.some((x) => x.summary.reference)) {
        lines.push('', '* reference only: uses perfect knowledge of future arrivals, not a realizable policy');
    }
    const lost = r.runs.filter((x) => x.summary.lost > 0);
    if (lost.length > 0)
        lines.push('', `lost jobs: ${lost.map((x) => `${x.policy} ${x.summary.lost}`).join(', ')}`);
    return lines.join('\n');
}
//# sourceMappingURL=output.js.map