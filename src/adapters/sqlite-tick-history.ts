/**
 * The tick history in SQLite (table `ticks`): one row per evaluation, kept for a bounded time and
 * row count, read back aggregated into at most N buckets so a week of ticks stays a small answer.
 */
import Database from 'better-sqlite3';
import type {
  ControllerMode, TickHistory, TickHistoryPage, TickHistoryQuery, TickMarker, TickPoint, TickSample, TickSeriesKey,
} from '../control/interfaces.js';

export interface TickRetention {
  /** Samples older than this are deleted, ms. Default 7 days. */
  maxAgeMs: number;
  /** At most this many rows are kept. Default 500,000. */
  maxRows: number;
}

export const DEFAULT_TICK_RETENTION: Readonly<TickRetention> = Object.freeze({ maxAgeMs: 7 * 86_400_000, maxRows: 500_000 });

/** Most buckets and markers one query may ask for. */
export const MAX_HISTORY_POINTS = 5000;

type Aggregate = 'avg' | 'max' | 'sum';

/** Each series: its column and how a bucket combines samples (see TickPoint). */
const SERIES: Readonly<Record<TickSeriesKey, readonly [column: string, agg: Aggregate]>> = {
  provisioned: ['provisioned', 'avg'], ready: ['ready', 'avg'], draining: ['draining', 'avg'], busy: ['busy', 'avg'],
  target: ['target', 'avg'], desired: ['desired', 'avg'],
  queueDepth: ['queue_depth', 'max'], oldestWaitSeconds: ['oldest_wait', 'max'],
  arrivalsPerMinute: ['arrivals', 'avg'], completionsPerMinute: ['completions', 'avg'],
  avgLatencySeconds: ['avg_latency', 'max'], p95LatencySeconds: ['p95_latency', 'max'],
  turnaroundP50Seconds: ['ta_p50', 'max'], turnaroundP95Seconds: ['ta_p95', 'max'],
  ended: ['ended', 'sum'], withinSlo: ['within_slo', 'sum'],
  forecastPerMinute: ['forecast', 'avg'], forecastHorizonMinutes: ['forecast_horizon', 'max'],
  spendHourly: ['spend_h', 'max'], spendDaily: ['spend_d', 'max'], spendMonthly: ['spend_m', 'max'],
  projectedHourly: ['proj_h', 'max'], projectedDaily: ['proj_d', 'max'], projectedMonthly: ['proj_m', 'max'],
  costPerHour: ['cost_per_hour', 'avg'],
};
const KEYS = Object.keys(SERIES) as TickSeriesKey[];

export const TICK_SCHEMA = `
CREATE TABLE IF NOT EXISTS ticks (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, mode TEXT NOT NULL,
  acted INTEGER NOT NULL, action TEXT, before_workers INTEGER, error TEXT,
  ${KEYS.map((k) => `${SERIES[k][0]} REAL`).join(', ')}
);
CREATE INDEX IF NOT EXISTS ticks_mode_at ON ticks (mode, at);
`;

interface MarkerRow { at: number; action: TickMarker['action'] | null; before: number | null; target: number | null; desired: number | null; acted: number }
type PointRow = { at: number; samples: number; actions: number } & Record<string, number | null>;
interface TotalsRow { samples: number; ended: number | null; within: number | null; actions: number | null; first: number | null }

/** Bounds of a history kept in memory (a dry-run or shadow controller's): 2 days, 100,000 rows. */
export const MEMORY_TICK_RETENTION: Readonly<TickRetention> = Object.freeze({ maxAgeMs: 2 * 86_400_000, maxRows: 100_000 });

export class SqliteTickHistory implements TickHistory {
  private readonly st;
  private appendsSincePrune = 0;

  /**
   * A private in-memory history with the same queries, for a controller that must not write the
   * shared store (dry-run, shadow): lost when the process exits.
   */
  static inMemory(now: () => number = Date.now, retention: TickRetention = MEMORY_TICK_RETENTION): SqliteTickHistory {
    const db = new Database(':memory:');
    db.exec(TICK_SCHEMA);
    return new SqliteTickHistory(db, now, retention);
  }

  constructor(db: Database.Database, private readonly now: () => number, private readonly retention: TickRetention = DEFAULT_TICK_RETENTION) {
    const cols = KEYS.map((k) => SERIES[k][0]);
    this.st = {
      insert: db.prepare<[Record<string, unknown>]>(`INSERT INTO ticks (at, mode, acted, action, before_workers, error, ${cols.join(', ')})
        VALUES (@at, @mode, @acted, @action, @before, @error, ${cols.map((c) => `@${c}`).join(', ')})`),
      pruneAge: db.prepare<[number]>('DELETE FROM ticks WHERE at < ?'),
      pruneRows: db.prepare<[number]>('DELETE FROM ticks WHERE id <= (SELECT max(id) FROM ticks) - ?'),
      first: db.prepare<[string], { t: number | null }>('SELECT min(at) AS t FROM ticks WHERE mode = ?'),
      last: db.prepare<[string], { t: number | null }>('SELECT max(at) AS t FROM ticks WHERE mode = ?'),
      points: db.prepare<[{ mode: string; from: number; to: number; bucket: number }], PointRow>(`SELECT min(at) AS at,
        count(*) AS samples, sum(acted) AS actions, ${KEYS.map((k) => `${SERIES[k][1]}(${SERIES[k][0]}) AS ${k}`).join(', ')}
        FROM ticks WHERE mode = @mode AND at >= @from AND at < @to GROUP BY CAST((at - @from) / @bucket AS INTEGER) ORDER BY at`),
      markers: db.prepare<[{ mode: string; from: number; to: number; limit: number }], MarkerRow>(`SELECT at, action,
        before_workers AS before, target, desired, acted FROM ticks
        WHERE mode = @mode AND at >= @from AND at < @to AND (acted = 1 OR target <> desired)
        ORDER BY at DESC LIMIT @limit`),
      totals: db.prepare<[{ mode: string; from: number; to: number }], TotalsRow>(`SELECT count(*) AS samples,
        sum(ended) AS ended, sum(within_slo) AS within, sum(acted) AS actions, min(at) AS first
        FROM ticks WHERE mode = @mode AND at >= @from AND at < @to`),
    };
  }

  appendTick(s: TickSample): Promise<void> {
    const row: Record<string, unknown> = {
      at: s.at.getTime(), mode: s.mode, acted: s.acted ? 1 : 0, action: s.action ?? null, before: s.before ?? null,
      error: s.error?.slice(0, 500) ?? null,
    };
    for (const k of KEYS) {
      const v = s[k];
      row[SERIES[k][0]] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
    this.st.insert.run(row);
    if (++this.appendsSincePrune >= 200) this.prune();
    return Promise.resolve();
  }

  /** Applies the retention bounds now (also done every 200 appends). */
  prune(): void {
    this.appendsSincePrune = 0;
    this.st.pruneAge.run(this.now() - this.retention.maxAgeMs);
    this.st.pruneRows.run(this.retention.maxRows);
  }

  tickHistory(q: TickHistoryQuery): Promise<TickHistoryPage> {
    if (!(Number.isFinite(q.fromMs) && Number.isFinite(q.toMs) && q.toMs > q.fromMs)) {
      return Promise.reject(new RangeError(`history range must have from < to; got ${q.fromMs}..${q.toMs}`));
    }
    const maxPoints = clampInt(q.maxPoints, 1, MAX_HISTORY_POINTS);
    const first = this.st.first.get(q.mode)?.t ?? null;
    // Buckets start at the first kept sample, so a long range over a short history keeps full resolution.
    const from = first === null ? q.fromMs : Math.max(q.fromMs, first);
    const span = Math.max(1, q.toMs - from);
    const bucketMs = Math.max(1, Math.ceil(span / maxPoints));
    const range = { mode: q.mode, from, to: q.toMs };
    const points = from < q.toMs ? this.st.points.all({ ...range, bucket: bucketMs }).map(toPoint) : [];
    const markers = from < q.toMs
      ? this.st.markers.all({ ...range, limit: clampInt(q.maxMarkers ?? 500, 0, MAX_HISTORY_POINTS) }).reverse().map(toMarker)
      : [];
    const t = this.st.totals.get(range);
    return Promise.resolve({
      fromMs: q.fromMs, toMs: q.toMs, bucketMs, points, markers,
      totals: { samples: t?.samples ?? 0, ended: t?.ended ?? 0, withinSlo: t?.within ?? 0, actions: t?.actions ?? 0 },
      ...(first !== null ? { firstMs: first } : {}),
    });
  }

  lastTickAt(mode: ControllerMode): Promise<Date | undefined> {
    const t = this.st.last.get(mode)?.t ?? null;
    return Promise.resolve(t === null ? undefined : new Date(t));
  }
}

function toPoint(r: PointRow): TickPoint {
  const p: TickPoint = { at: r.at, samples: r.samples, actions: r.actions };
  for (const k of KEYS) {
    const v = r[k];
    if (typeof v === 'number' && Number.isFinite(v)) p[k] = Math.round(v * 1000) / 1000;
  }
  return p;
}

function toMarker(r: MarkerRow): TickMarker {
  return {
    at: r.at, action: r.action ?? 'no_change', from: r.before ?? 0, target: r.target ?? 0, desired: r.desired ?? 0, acted: r.acted === 1,
  };
}

function clampInt(v: number, min: number, max: number): number {
  return Number.isFinite(v) ? Math.min(max, Math.max(min, Math.floor(v))) : max;
}
