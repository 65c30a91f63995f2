/**
 * The controller's shared state in Redis, next to the BullMQ queue it scales (`bull:<queue>:bb:*`):
 * with controllers and workers on several hosts, the audit log, the spend ledger, the operator
 * gates, the controller heartbeat and the worker registry must be one copy that every replica
 * reads, so they live here rather than in a per-host SQLite file.
 *
 * Layout (base = `bull:<queue>`):
 * - `bb:state` hash: key/value state (policy state, gates, heartbeat);
 * - `bb:decisions` list: the audit log, newest first, trimmed to `decisionRetention`;
 * - `bb:spend` sorted set: ledger entries scored by time (`<seq>|<worker s>|<dollars>`);
 * - `bb:w:<id>` hash per worker; `bb:workers` (all, by start time), `bb:workers:<state>` (live
 *   ones by last heartbeat, so counts skip a host that vanished) and `bb:workers:stopped` (by stop time).
 * Every read-modify-write is one Lua script, so processes on any host can share it.
 */
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { ControllerStore, DecisionRecord } from '../control/interfaces.js';
import type { SpendEntry, SpendLedger, WorkerCounts, WorkerRegistry, WorkerRow, WorkerState } from '../control/ports.js';
import { queueKeyBase } from './redis-client.js';

export interface RedisStoreOptions {
  connection: Redis;
  /** Queue name: the store shares the queue's key space. */
  name: string;
  prefix?: string;
  /** Epoch ms for heartbeats and registry times (hosts are assumed NTP-synced, as BullMQ does). */
  now?: () => number;
  /** Recorded with every worker row this process writes. Default os.hostname(). */
  host?: string;
  /** Decisions kept in the audit log. Default 10000. */
  decisionRetention?: number;
  /** A live worker whose last heartbeat is older than this is not counted, ms. Default 60000. */
  workerStaleMs?: number;
  /** Close `connection` in close(). Default false. */
  ownsConnection?: boolean;
}

const LIVE: readonly WorkerState[] = ['starting', 'ready', 'draining'];

/** Moves worker `id` to its state's index; shared by the registry scripts. */
const REINDEX = `
local function reindex(base, id, state, hb, stoppedAt)
  for _, s in ipairs({ 'starting', 'ready', 'draining' }) do redis.call('ZREM', base .. ':bb:workers:' .. s, id) end
  if state == 'stopped' then
    redis.call('ZADD', base .. ':bb:workers:stopped', stoppedAt, id)
  else
    redis.call('ZREM', base .. ':bb:workers:stopped', id)
    redis.call('ZADD', base .. ':bb:workers:' .. state, hb, id)
  end
end
`;

const SPAWN = `${REINDEX}
local base, id, pid, ctl, host, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local k = base .. ':bb:w:' .. id
if redis.call('EXISTS', k) == 1 then
  redis.call('HSET', k, 'pid', pid, 'controllerId', ctl, 'host', host)
  return 0
end
redis.call('HSET', k, 'id', id, 'pid', pid, 'controllerId', ctl, 'host', host, 'state', 'starting',
  'startedAt', now, 'heartbeatAt', now, 'busy', 0, 'jobsDone', 0)
redis.call('ZADD', base .. ':bb:workers', now, id)
reindex(base, id, 'starting', now, now)
return 1
`;

// A worker's own report never moves it back from draining/stopped to ready (as on SQLite).
const REPORT = `${REINDEX}
local base, id, pid, state, busy, done, host, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local k = base .. ':bb:w:' .. id
local cur = redis.call('HGET', k, 'state')
if not cur then
  redis.call('HSET', k, 'id', id, 'startedAt', now)
  redis.call('ZADD', base .. ':bb:workers', now, id)
  cur = state
end
local new = state
if cur == 'stopped' then new = 'stopped'
elseif cur == 'draining' and (state == 'starting' or state == 'ready') then new = 'draining' end
redis.call('HSET', k, 'pid', pid, 'state', new, 'heartbeatAt', now, 'busy', busy, 'jobsDone', done, 'host', host)
local stoppedAt = redis.call('HGET', k, 'stoppedAt')
if new == 'stopped' and not stoppedAt then stoppedAt = now; redis.call('HSET', k, 'stoppedAt', now) end
reindex(base, id, new, now, stoppedAt or now)
return 1
`;

const SET_STATE = `${REINDEX}
local base, id, state, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local k = base .. ':bb:w:' .. id
local cur = redis.call('HGET', k, 'state')
if (not cur) or cur == 'stopped' then return 0 end
redis.call('HSET', k, 'state', state)
local stoppedAt = redis.call('HGET', k, 'stoppedAt')
if state == 'stopped' and not stoppedAt then stoppedAt = now; redis.call('HSET', k, 'stoppedAt', now) end
reindex(base, id, state, redis.call('HGET', k, 'heartbeatAt') or now, stoppedAt or now)
return 1
`;

const PRUNE = `
local base, before = ARGV[1], ARGV[2]
local ids = redis.call('ZRANGEBYSCORE', base .. ':bb:workers:stopped', '-inf', '(' .. before, 'LIMIT', 0, 1000)
for _, id in ipairs(ids) do
  redis.call('DEL', base .. ':bb:w:' .. id)
  redis.call('ZREM', base .. ':bb:workers', id)
  redis.call('ZREM', base .. ':bb:workers:stopped', id)
end
return #ids
`;

const SPEND_SUM = `
local ws, d = 0, 0
for _, e in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '(' .. ARGV[2])) do
  local _, a, b = string.match(e, '^([^|]*)|([^|]*)|([^|]*)$')
  ws = ws + tonumber(a)
  d = d + tonumber(b)
end
return { string.format('%.17g', ws), string.format('%.17g', d) }
`;

type ScriptedRedis = Redis & {
  bbSpawn(...a: Array<string | number>): Promise<number>;
  bbReport(...a: Array<string | number>): Promise<number>;
  bbSetState(...a: Array<string | number>): Promise<number>;
  bbPrune(...a: Array<string | number>): Promise<number>;
  bbSpendSum(key: string, from: number, to: number): Promise<[string, string]>;
};

function scripted(client: Redis): ScriptedRedis {
  const c = client as ScriptedRedis;
  if (typeof c.bbSpawn !== 'function') {
    client.defineCommand('bbSpawn', { lua: SPAWN, numberOfKeys: 0 });
    client.defineCommand('bbReport', { lua: REPORT, numberOfKeys: 0 });
    client.defineCommand('bbSetState', { lua: SET_STATE, numberOfKeys: 0 });
    client.defineCommand('bbPrune', { lua: PRUNE, numberOfKeys: 0 });
    client.defineCommand('bbSpendSum', { lua: SPEND_SUM, numberOfKeys: 1 });
  }
  return c;
}

export class RedisStore implements ControllerStore, SpendLedger, WorkerRegistry {
  readonly keyBase: string;
  private readonly r: ScriptedRedis;
  private readonly now: () => number;
  private readonly host: string;
  private readonly o: RedisStoreOptions;

  constructor(opts: RedisStoreOptions) {
    this.o = opts;
    this.r = scripted(opts.connection);
    this.keyBase = queueKeyBase(opts.name, opts.prefix);
    this.now = opts.now ?? Date.now;
    this.host = opts.host ?? hostname();
  }

  private k(suffix: string): string {
    return `${this.keyBase}:bb:${suffix}`;
  }

  async close(): Promise<void> {
    if (this.o.ownsConnection) await this.o.connection.quit().catch(() => this.o.connection.disconnect());
  }

  // ----- ControllerStore / StateStore -----

  async loadState(key: string): Promise<string | undefined> {
    return (await this.r.hget(this.k('state'), key)) ?? undefined;
  }

  async saveState(key: string, value: string): Promise<void> {
    await this.r.hset(this.k('state'), key, value);
  }

  async appendDecision(d: DecisionRecord): Promise<void> {
    const key = this.k('decisions');
    await this.r.multi().lpush(key, JSON.stringify({ ...d, at: d.at.getTime() }))
      .ltrim(key, 0, Math.max(1, this.o.decisionRetention ?? 10_000) - 1).exec();
  }

  async recentDecisions(limit: number): Promise<DecisionRecord[]> {
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    const rows = await this.r.lrange(this.k('decisions'), 0, n - 1);
    return rows.map((text) => {
      const r = JSON.parse(text) as Omit<DecisionRecord, 'at'> & { at: number };
      return { ...r, at: new Date(r.at) };
    });
  }

  // ----- SpendLedger -----

  async appendSpend(e: SpendEntry): Promise<void> {
    const seq = await this.r.incr(this.k('spend:seq'));
    await this.r.zadd(this.k('spend'), e.at.getTime(), `${seq}|${e.workerSeconds}|${e.dollars}`);
    // Budgets look back a month at most: keep 40 days.
    if (seq % 100 === 0) await this.r.zremrangebyscore(this.k('spend'), '-inf', `(${e.at.getTime() - 40 * 86_400_000}`);
  }

  async spendBetween(from: Date, to: Date): Promise<{ workerSeconds: number; dollars: number }> {
    const [ws, d] = await this.r.bbSpendSum(this.k('spend'), from.getTime(), to.getTime());
    return { workerSeconds: Number(ws), dollars: Number(d) };
  }

  async lastSpendAt(): Promise<Date | undefined> {
    const last = await this.r.zrange(this.k('spend'), '-1', '-1', 'WITHSCORES');
    return last[1] === undefined ? undefined : new Date(Number(last[1]));
  }

  // ----- WorkerRegistry -----

  async workerCounts(): Promise<WorkerCounts> {
    const since = this.now() - (this.o.workerStaleMs ?? 60_000);
    const m = this.r.multi();
    for (const s of LIVE) m.zcount(this.k(`workers:${s}`), since, '+inf');
    const res = (await m.exec()) ?? [];
    const n = (i: number): number => {
      const [err, v] = res[i] ?? [null, 0];
      if (err) throw err;
      return Number(v);
    };
    return { starting: n(0), ready: n(1), draining: n(2) };
  }

  async registerSpawn(workerId: string, pid: number, controllerId: string): Promise<void> {
    await this.r.bbSpawn(this.keyBase, workerId, pid, controllerId, this.host, this.now());
  }

  async reportWorker(workerId: string, pid: number, state: WorkerState, busy: number, jobsDone: number): Promise<void> {
    await this.r.bbReport(this.keyBase, workerId, pid, state, busy, jobsDone, this.host, this.now());
  }

  async setWorkerState(workerId: string, state: WorkerState): Promise<void> {
    await this.r.bbSetState(this.keyBase, workerId, state, this.now());
  }

  async listWorkers(states?: readonly WorkerState[]): Promise<WorkerRow[]> {
    const ids = await this.r.zrange(this.k('workers'), '0', '-1');
    const rows = await this.readWorkers(ids);
    return states ? rows.filter((w) => states.includes(w.state)) : rows;
  }

  async getWorker(workerId: string): Promise<WorkerRow | undefined> {
    return (await this.readWorkers([workerId]))[0];
  }

  async adoptWorkers(workerIds: readonly string[], controllerId: string): Promise<void> {
    if (workerIds.length === 0) return;
    const m = this.r.multi();
    for (const id of workerIds) m.hset(this.k(`w:${id}`), 'controllerId', controllerId);
    await m.exec();
  }

  async pruneWorkers(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.r.bbPrune(this.keyBase, this.now() - olderThanMs);
      total += n;
      if (n < 1000) return total;
    }
  }

  private async readWorkers(ids: readonly string[]): Promise<WorkerRow[]> {
    if (ids.length === 0) return [];
    const m = this.r.multi();
    for (const id of ids) m.hgetall(this.k(`w:${id}`));
    const res = (await m.exec()) ?? [];
    const out: WorkerRow[] = [];
    for (const [err, h] of res) {
      if (err) throw err;
      const row = toWorkerRow(h as Record<string, string>);
      if (row) out.push(row);
    }
    return out;
  }
}

function toWorkerRow(h: Record<string, string>): WorkerRow | undefined {
  if (h.id === undefined || h.state === undefined) return undefined;
  return {
    workerId: h.id, pid: Number(h.pid ?? 0), state: h.state as WorkerState,
    ...(h.controllerId ? { controllerId: h.controllerId } : {}),
    startedAt: new Date(Number(h.startedAt)), heartbeatAt: new Date(Number(h.heartbeatAt ?? h.startedAt)),
    busy: Number(h.busy ?? 0), jobsDone: Number(h.jobsDone ?? 0),
    ...(h.host ? { host: h.host } : {}),
  };
}
