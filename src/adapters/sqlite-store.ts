/**
 * The one embedded store (better-sqlite3, WAL, one file): the job queue, the controller's durable
 * state (key/value, decisions audit log, spend ledger) and the worker-process registry.
 * Several processes share the file (controller + workers), hence WAL, busy_timeout and
 * BEGIN IMMEDIATE for every read-modify-write.
 */
import Database from 'better-sqlite3';
import { dirname, resolve } from 'node:path';
import type {
  ControllerMode, ControllerStore, DecisionRecord, GateEffect, StageLimit, TickHistory, TickHistoryPage, TickHistoryQuery, TickSample,
} from '../control/interfaces.js';
import { UsageError } from '../autoscaling/errors.js';
import type {
  SpendEntry, SpendLedger, WorkerCounts, WorkerRegistry, WorkerRow, WorkerState,
} from '../control/ports.js';
import { makeDirs } from './make-dirs.js';
import { SqliteJobHistory } from './sqlite-job-history.js';
import { LEASE_SCHEMA, SqliteLeaderElector, type SqliteLeaderOptions } from './sqlite-leader.js';
import { QUEUE_SCHEMA, SqliteJobQueue, type RetryPolicy } from './sqlite-queue.js';
import { DEFAULT_TICK_RETENTION, SqliteTickHistory, TICK_SCHEMA, type TickRetention } from './sqlite-tick-history.js';

export const DEFAULT_DATABASE_PATH = './data/bountybot.db';

export interface SqliteStoreOptions {
  /** Database file; parent directories are created. ':memory:' for a private in-memory store. */
  path: string;
  /** Milliseconds since the epoch; injectable so tests control lease expiry and windows. */
  now?: () => number;
  /** How long a writer waits for another process's lock, ms. Default 5000. */
  busyTimeoutMs?: number;
  /**
   * 'NORMAL' (default) survives any process crash (SIGKILL); 'FULL' also survives power loss
   * at the cost of an fsync per commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  retry?: Partial<RetryPolicy>;
  /** Decisions kept in the audit log (older ones are pruned). Default 10000. */
  decisionRetention?: number;
  /** How long and how many tick samples the history keeps. Default 7 days, 500,000 rows. */
  tickRetention?: Partial<TickRetention>;
}

/** The database could not be opened or written; the message says where and why. */
export class StoreOpenError extends UsageError {
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { ...opts, code: 'STORE_OPEN_FAILED' });
  }
}

const CONTROL_SCHEMA = `
CREATE TABLE IF NOT EXISTS controller_state (
  key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, action TEXT NOT NULL,
  current_workers INTEGER NOT NULL, target_workers INTEGER NOT NULL, applied_workers INTEGER NOT NULL,
  reasoning TEXT NOT NULL, dry_run INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS spend_ledger (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, worker_seconds REAL NOT NULL, dollars REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS spend_ledger_at ON spend_ledger (at);
CREATE TABLE IF NOT EXISTS workers (
  worker_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, controller_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('starting', 'ready', 'draining', 'stopped')),
  started_at INTEGER NOT NULL, heartbeat_at INTEGER NOT NULL,
  busy INTEGER NOT NULL DEFAULT 0, jobs_done INTEGER NOT NULL DEFAULT 0, stopped_at INTEGER
);
CREATE INDEX IF NOT EXISTS workers_state ON workers (state);
`;

interface WorkerDbRow {
  worker_id: string; pid: number; controller_id: string | null; state: WorkerState;
  started_at: number; heartbeat_at: number; busy: number; jobs_done: number;
}
interface DecisionDbRow {
  at: number; action: DecisionRecord['action']; current_workers: number; target_workers: number;
  applied_workers: number; reasoning: string; dry_run: number; gates: string | null; limits: string | null;
}

/** Columns added after the first release: created on open when an older database lacks them. */
const ADDED_COLUMNS: ReadonlyArray<{ table: string; column: string; type: string }> = [
  { table: 'decisions', column: 'gates', type: 'TEXT' },
  { table: 'decisions', column: 'limits', type: 'TEXT' },
];

function addMissingColumns(db: Database.Database): void {
  for (const { table, column, type } of ADDED_COLUMNS) {
    const cols = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all();
    if (!cols.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
  }
}

export class SqliteStore implements ControllerStore, SpendLedger, WorkerRegistry, TickHistory {
  readonly path: string;
  readonly queue: SqliteJobQueue;
  /** What the queue remembers of past jobs (arrivals, outcomes): dashboard, shadow mode, replay. */
  readonly jobHistory: SqliteJobHistory;
  private readonly ticks: SqliteTickHistory;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly retention: number;
  private appendsSincePrune = 0;
  private readonly st: ReturnType<typeof prepareControl>;

  private constructor(db: Database.Database, path: string, opts: SqliteStoreOptions) {
    this.db = db;
    this.path = path;
    this.now = opts.now ?? Date.now;
    this.retention = opts.decisionRetention ?? 10_000;
    this.queue = new SqliteJobQueue(db, this.now, opts.retry);
    this.jobHistory = new SqliteJobHistory(db);
    this.ticks = new SqliteTickHistory(db, this.now, { ...DEFAULT_TICK_RETENTION, ...opts.tickRetention });
    this.st = prepareControl(db);
  }

  /** Opens (creating directories, file and schema as needed) and checks it can write. */
  static open(opts: SqliteStoreOptions): SqliteStore {
    const path = opts.path === ':memory:' ? ':memory:' : resolve(opts.path);
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') makeDirs(dirname(path));
      db = new Database(path);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
      const migrate = db.transaction(() => {
        db?.exec(QUEUE_SCHEMA);
        db?.exec(CONTROL_SCHEMA);
        db?.exec(LEASE_SCHEMA);
        db?.exec(TICK_SCHEMA);
        if (db) addMissingColumns(db);
      });
      // IMMEDIATE takes the write lock even when the schema exists: proves the file is writable.
      migrate.immediate();
    } catch (err) {
      db?.close();
      const why = err instanceof Error ? err.message : String(err);
      throw new StoreOpenError(`cannot open database ${JSON.stringify(opts.path)} for writing: ${why}`, { cause: err });
    }
    return new SqliteStore(db, path, opts);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** The controller lease on this file (one live controller per database). */
  leaderElector(opts: SqliteLeaderOptions): SqliteLeaderElector {
    return new SqliteLeaderElector(this.db, opts);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  // ----- ControllerStore / StateStore -----

  loadState(key: string): Promise<string | undefined> {
    return Promise.resolve(this.st.getState.get(key)?.value);
  }

  saveState(key: string, value: string): Promise<void> {
    this.st.putState.run(key, value, this.now());
    return Promise.resolve();
  }

  appendDecision(r: DecisionRecord): Promise<void> {
    this.st.insertDecision.run(
      r.at.getTime(), r.action, r.currentWorkers, r.targetWorkers, r.appliedWorkers,
      JSON.stringify(r.reasoning), r.dryRun ? 1 : 0, jsonOrNull(r.gates), jsonOrNull(r.limits),
    );
    if (++this.appendsSincePrune >= 100) {
      this.appendsSincePrune = 0;
      this.st.pruneDecisions.run(this.retention);
    }
    return Promise.resolve();
  }

  recentDecisions(limit: number): Promise<DecisionRecord[]> {
    const rows = this.st.recentDecisions.all(Math.max(0, Math.floor(limit)));
    return Promise.resolve(rows.map((r) => ({
      at: new Date(r.at), action: r.action, currentWorkers: r.current_workers,
      targetWorkers: r.target_workers, appliedWorkers: r.applied_workers,
      reasoning: JSON.parse(r.reasoning) as string[], dryRun: r.dry_run === 1,
      ...(r.gates !== null ? { gates: JSON.parse(r.gates) as GateEffect[] } : {}),
      ...(r.limits !== null ? { limits: JSON.parse(r.limits) as StageLimit[] } : {}),
    })));
  }

  // ----- TickHistory -----

  appendTick(sample: TickSample): Promise<void> {
    return this.ticks.appendTick(sample);
  }

  tickHistory(query: TickHistoryQuery): Promise<TickHistoryPage> {
    return this.ticks.tickHistory(query);
  }

  lastTickAt(mode: ControllerMode): Promise<Date | undefined> {
    return this.ticks.lastTickAt(mode);
  }

  /** Applies the tick retention bounds now (housekeeping; appends also do it periodically). */
  pruneTicks(): void {
    this.ticks.prune();
  }

  /** Counts of decisions by action since `since` (the whole log when omitted). */
  decisionCounts(since?: Date): Record<DecisionRecord['action'], number> {
    const out = { scale_up: 0, scale_down: 0, no_change: 0 };
    for (const r of this.st.decisionCounts.all(since?.getTime() ?? 0)) out[r.action] = r.n;
    return out;
  }

  // ----- SpendLedger -----

  appendSpend(e: SpendEntry): Promise<void> {
    this.st.insertSpend.run(e.at.getTime(), e.workerSeconds, e.dollars);
    return Promise.resolve();
  }

  spendBetween(from: Date, to: Date): Promise<{ workerSeconds: number; dollars: number }> {
    const r = this.st.sumSpend.get(from.getTime(), to.getTime());
    return Promise.resolve({ workerSeconds: r?.ws ?? 0, dollars: r?.d ?? 0 });
  }

  lastSpendAt(): Promise<Date | undefined> {
    const t = this.st.lastSpend.get()?.t ?? null;
    return Promise.resolve(t === null ? undefined : new Date(t));
  }

  // ----- WorkerRegistry -----

  registerSpawn(workerId: string, pid: number, controllerId: string): Promise<void> {
    const at = this.now();
    this.st.insertSpawn.run(workerId, pid, controllerId, at, at);
    return Promise.resolve();
  }

  reportWorker(workerId: string, pid: number, state: WorkerState, busy: number, jobsDone: number): Promise<void> {
    const at = this.now();
    this.st.upsertWorker.run({ id: workerId, pid, state, now: at, busy, done: jobsDone, stopped: state === 'stopped' ? at : null });
    return Promise.resolve();
  }

  setWorkerState(workerId: string, state: WorkerState): Promise<void> {
    this.st.setWorkerState.run(state, state === 'stopped' ? this.now() : null, workerId);
    return Promise.resolve();
  }

  listWorkers(states?: readonly WorkerState[]): Promise<WorkerRow[]> {
    const rows = this.st.allWorkers.all().map(toWorkerRow);
    return Promise.resolve(states ? rows.filter((w) => states.includes(w.state)) : rows);
  }

  getWorker(workerId: string): Promise<WorkerRow | undefined> {
    const r = this.st.getWorker.get(workerId);
    return Promise.resolve(r ? toWorkerRow(r) : undefined);
  }

  adoptWorkers(workerIds: readonly string[], controllerId: string): Promise<void> {
    this.db.transaction(() => {
      for (const id of workerIds) this.st.adopt.run(controllerId, id);
    }).immediate();
    return Promise.resolve();
  }

  pruneWorkers(olderThanMs: number): Promise<number> {
    return Promise.resolve(this.st.pruneWorkers.run(this.now() - olderThanMs).changes);
  }

  /** Counts of live workers by state, from the registry (every process, whoever started it). */
  workerCounts(): Promise<WorkerCounts> {
    const out: WorkerCounts = { starting: 0, ready: 0, draining: 0 };
    for (const r of this.st.workerCounts.all()) {
      if (r.state === 'starting' || r.state === 'ready' || r.state === 'draining') out[r.state] = r.n;
    }
    return Promise.resolve(out);
  }
}

function jsonOrNull(list: readonly unknown[] | undefined): string | null {
  return list !== undefined && list.length > 0 ? JSON.stringify(list) : null;
}

function toWorkerRow(r: WorkerDbRow): WorkerRow {
  return {
    workerId: r.worker_id, pid: r.pid, state: r.state,
    ...(r.controller_id !== null ? { controllerId: r.controller_id } : {}),
    startedAt: new Date(r.started_at), heartbeatAt: new Date(r.heartbeat_at),
    busy: r.busy, jobsDone: r.jobs_done,
  };
}

function prepareControl(db: Database.Database) {
  return {
    getState: db.prepare<[string], { value: string }>('SELECT value FROM controller_state WHERE key = ?'),
    putState: db.prepare<[string, string, number]>(`INSERT INTO controller_state (key, value, updated_at)
      VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
    insertDecision: db.prepare<[number, string, number, number, number, string, number, string | null, string | null]>(`INSERT INTO
      decisions (at, action, current_workers, target_workers, applied_workers, reasoning, dry_run, gates, limits)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    pruneDecisions: db.prepare<[number]>('DELETE FROM decisions WHERE id <= (SELECT max(id) FROM decisions) - ?'),
    recentDecisions: db.prepare<[number], DecisionDbRow>(`SELECT at, action, current_workers, target_workers,
      applied_workers, reasoning, dry_run, gates, limits FROM decisions ORDER BY id DESC LIMIT ?`),
    decisionCounts: db.prepare<[number], { action: DecisionRecord['action']; n: number }>(
      'SELECT action, count(*) AS n FROM decisions WHERE at >= ? GROUP BY action'),
    insertSpend: db.prepare<[number, number, number]>(
      'INSERT INTO spend_ledger (at, worker_seconds, dollars) VALUES (?, ?, ?)'),
    sumSpend: db.prepare<[number, number], { ws: number | null; d: number | null }>(
      'SELECT sum(worker_seconds) AS ws, sum(dollars) AS d FROM spend_ledger WHERE at >= ? AND at < ?'),
    lastSpend: db.prepare<[], { t: number | null }>('SELECT max(at) AS t FROM spend_ledger'),
    insertSpawn: db.prepare<[string, number, string, number, number]>(`INSERT INTO workers
      (worker_id, pid, controller_id, state, started_at, heartbeat_at) VALUES (?, ?, ?, 'starting', ?, ?)
      ON CONFLICT (worker_id) DO UPDATE SET pid = excluded.pid, controller_id = excluded.controller_id`),
    // A worker's own report never moves it back from draining/stopped to ready.
    upsertWorker: db.prepare<[{ id: string; pid: number; state: WorkerState; now: number; busy: number; done: number; stopped: number | null }]>(`
      INSERT INTO workers (worker_id, pid, state, started_at, heartbeat_at, busy, jobs_done, stopped_at)
      VALUES (@id, @pid, @state, @now, @now, @busy, @done, @stopped)
      ON CONFLICT (worker_id) DO UPDATE SET pid = excluded.pid, heartbeat_at = excluded.heartbeat_at,
        busy = excluded.busy, jobs_done = excluded.jobs_done,
        stopped_at = coalesce(excluded.stopped_at, workers.stopped_at),
        state = CASE
          WHEN workers.state = 'stopped' THEN 'stopped'
          WHEN workers.state = 'draining' AND excluded.state IN ('starting', 'ready') THEN 'draining'
          ELSE excluded.state END`),
    setWorkerState: db.prepare<[WorkerState, number | null, string]>(`UPDATE workers SET state = ?,
      stopped_at = coalesce(?, stopped_at) WHERE worker_id = ? AND state <> 'stopped'`),
    allWorkers: db.prepare<[], WorkerDbRow>('SELECT * FROM workers ORDER BY started_at, worker_id'),
    getWorker: db.prepare<[string], WorkerDbRow>('SELECT * FROM workers WHERE worker_id = ?'),
    adopt: db.prepare<[string, string]>(`UPDATE workers SET controller_id = ? WHERE worker_id = ?`),
    pruneWorkers: db.prepare<[number]>(`DELETE FROM workers WHERE state = 'stopped' AND stopped_at < ?`),
    workerCounts: db.prepare<[], { state: WorkerState; n: number }>(
      `SELECT state, count(*) AS n FROM workers WHERE state <> 'stopped' GROUP BY state`),
  };
}
