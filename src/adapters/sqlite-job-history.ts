/**
 * The SQLite queue's memory of past jobs (the `jobs` table until finished jobs are purged):
 * arrivals per bin and outcomes against a latency objective. Read-only; every query is bounded
 * by an index on enqueue or end time.
 */
import type Database from 'better-sqlite3';
import type { JobHistory, TurnaroundStats } from '../control/ports.js';

/** Most bins one `arrivalCounts` call returns (a year of 30-second bins). */
export const MAX_ARRIVAL_BINS = 1_100_000;

interface OutcomeRow {
  completed: number | null; dead: number | null; within: number | null; late: number | null; pending: number | null;
  svc: number | null; svcSq: number | null;
}
type Range = { from: number; to: number; slo: number };

const ENDED_WHERE = 'ended_at >= @from AND ended_at < @to';
const ENQUEUED_WHERE = 'enqueued_at >= @from AND enqueued_at < @to';
/** Ended by `to`: for jobs selected by end time that is every one of them. */
const DONE = '(ended_at IS NOT NULL AND ended_at < @to)';

function outcomeSql(where: string): string {
  return `SELECT
    sum(CASE WHEN status = 'completed' AND ${DONE} THEN 1 ELSE 0 END) AS completed,
    sum(CASE WHEN status = 'dead' AND ${DONE} THEN 1 ELSE 0 END) AS dead,
    sum(CASE WHEN status = 'completed' AND ${DONE} AND ended_at - enqueued_at <= @slo THEN 1 ELSE 0 END) AS within,
    sum(CASE WHEN NOT ${DONE} AND @to - enqueued_at > @slo THEN 1 ELSE 0 END) AS late,
    sum(CASE WHEN NOT ${DONE} AND @to - enqueued_at <= @slo THEN 1 ELSE 0 END) AS pending,
    avg(CASE WHEN status = 'completed' AND ${DONE} THEN ended_at - started_at END) AS svc,
    avg(CASE WHEN status = 'completed' AND ${DONE} THEN (ended_at - started_at) * (ended_at - started_at) END) AS svcSq
    FROM jobs WHERE ${where}`;
}

function percentileSql(where: string): string {
  return `SELECT ended_at - enqueued_at AS t FROM jobs WHERE ${where} AND status = 'completed' AND ${DONE}
    ORDER BY t LIMIT 1 OFFSET @offset`;
}

export class SqliteJobHistory implements JobHistory {
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      arrivals: db.prepare<[{ from: number; to: number; bin: number }], { b: number; n: number }>(
        `SELECT CAST((enqueued_at - @from) / @bin AS INTEGER) AS b, count(*) AS n FROM jobs INDEXED BY jobs_enqueued
         WHERE enqueued_at >= @from AND enqueued_at < @to GROUP BY b`),
      first: db.prepare<[], { t: number | null }>('SELECT min(enqueued_at) AS t FROM jobs'),
      ended: db.prepare<[Range], OutcomeRow>(outcomeSql(ENDED_WHERE)),
      enqueued: db.prepare<[Range], OutcomeRow>(outcomeSql(ENQUEUED_WHERE)),
      endedAt: db.prepare<[Range & { offset: number }], { t: number }>(percentileSql(ENDED_WHERE)),
      enqueuedAt: db.prepare<[Range & { offset: number }], { t: number }>(percentileSql(ENQUEUED_WHERE)),
    };
  }

  arrivalCounts(from: Date, to: Date, binMs: number): Promise<number[]> {
    const f = from.getTime();
    const t = to.getTime();
    if (!(Number.isFinite(binMs) && binMs >= 1)) return Promise.reject(new RangeError(`binMs must be >= 1; got ${String(binMs)}`));
    if (!(Number.isFinite(f) && Number.isFinite(t))) return Promise.reject(new RangeError('from and to must be valid dates'));
    const bins = Math.max(0, Math.ceil((t - f) / binMs));
    if (bins > MAX_ARRIVAL_BINS) {
      return Promise.reject(new RangeError(`${bins} bins of ${binMs} ms is more than ${MAX_ARRIVAL_BINS}; use wider bins or a shorter range`));
    }
    const out = new Array<number>(bins).fill(0);
    for (const r of this.st.arrivals.all({ from: f, to: t, bin: Math.floor(binMs) })) {
      if (r.b >= 0 && r.b < bins) out[r.b] = r.n;
    }
    return Promise.resolve(out);
  }

  firstArrival(): Promise<Date | undefined> {
    const t = this.st.first.get()?.t ?? null;
    return Promise.resolve(t === null ? undefined : new Date(t));
  }

  turnaround(from: Date, to: Date, sloSeconds: number, by: 'ended' | 'enqueued'): Promise<TurnaroundStats> {
    const range: Range = { from: from.getTime(), to: to.getTime(), slo: sloSeconds * 1000 };
    // One read transaction: the counts and the percentiles describe the same rows.
    return Promise.resolve(this.db.transaction(() => {
      const r = (by === 'ended' ? this.st.ended : this.st.enqueued).get(range);
      const completed = r?.completed ?? 0;
      const at = by === 'ended' ? this.st.endedAt : this.st.enqueuedAt;
      const pct = (q: number): number | undefined => {
        if (completed === 0) return undefined;
        const t = at.get({ ...range, offset: Math.min(completed - 1, Math.max(0, Math.ceil(q * completed) - 1)) })?.t;
        return t === undefined ? undefined : t / 1000;
      };
      const p50 = pct(0.5);
      const p95 = pct(0.95);
      const cv = completed >= 2 && r?.svc != null && r.svcSq != null && r.svc > 0
        ? Math.sqrt(Math.max(0, r.svcSq - r.svc * r.svc) * (completed / (completed - 1))) / r.svc : undefined;
      const stats: TurnaroundStats = {
        completed, deadLettered: r?.dead ?? 0, withinSlo: r?.within ?? 0, lateUnfinished: r?.late ?? 0, pending: r?.pending ?? 0,
        ...(p50 !== undefined ? { p50Seconds: p50 } : {}),
        ...(p95 !== undefined ? { p95Seconds: p95 } : {}),
        ...(r?.svc != null ? { serviceMeanSeconds: r.svc / 1000 } : {}),
        ...(cv !== undefined ? { serviceCv: cv } : {}),
      };
      return stats;
    })());
  }
}
