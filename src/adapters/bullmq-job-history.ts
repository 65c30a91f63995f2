/**
 * What a BullMQ queue remembers about past jobs, for the dashboard's SLO figures, shadow mode and
 * `bountybot replay` (the JobHistory port). Redis keeps less than the SQLite table, and this says
 * what it can:
 * - arrivals per bin come from the arrival buckets (bullmq-stats.ts): per minute for 25 h, per
 *   second for the last hour (bins shorter than a minute further back read as minute totals in
 *   the bin holding the minute's start);
 * - outcomes come from BullMQ's completed and failed sets (scored by end time) and the job hashes,
 *   read by one Lua script over at most MAX_JOBS_READ jobs of each set (the latest in the range):
 *   bounded work whatever the history. Jobs not ended yet are not read (lateUnfinished and
 *   pending are 0), since that would mean walking the backlog.
 */
import type { JobHistory, TurnaroundStats } from '../control/ports.js';
import type { RedisConnection } from './redis-client.js';
import { queueKeyBase } from './redis-client.js';

/** Most jobs of each of the completed and failed sets one `turnaround` call reads. */
export const MAX_JOBS_READ = 20_000;

const TURNAROUND = `
local base, from, to, slo, byEnqueued, cap = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1', tonumber(ARGV[6])
-- A job enqueued in the range ended after its start: select ended jobs from \`from\` to \`to\` either way.
local function each(set, fn)
  local ids = redis.call('ZREVRANGEBYSCORE', base .. ':' .. set, '(' .. to, from, 'LIMIT', 0, cap)
  for _, id in ipairs(ids) do
    local h = redis.call('HMGET', base .. ':' .. id, 'timestamp', 'processedOn', 'finishedOn')
    local enq, started, ended = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
    if enq and ended and ((not byEnqueued) or (enq >= from and enq < to)) then fn(enq, started or enq, ended) end
  end
end
local completed, dead, within, svc, svcSq = 0, 0, 0, 0, 0
local times = {}
each('completed', function(enq, started, ended)
  completed = completed + 1
  local t = ended - enq
  if t <= slo then within = within + 1 end
  times[#times + 1] = t
  svc = svc + (ended - started)
  svcSq = svcSq + (ended - started) * (ended - started)
end)
each('failed', function() dead = dead + 1 end)
table.sort(times)
local function pct(q)
  if #times == 0 then return '' end
  return string.format('%.17g', times[math.min(#times, math.max(1, math.ceil(q * #times)))])
end
local function s(x) return string.format('%.17g', x) end
return { s(completed), s(dead), s(within), s(svc), s(svcSq), pct(0.5), pct(0.95) }
`;

type HistoryRedis = RedisConnection & {
  bbTurnaround(...a: Array<string | number>): Promise<string[]>;
};

export class BullmqJobHistory implements JobHistory {
  private readonly r: HistoryRedis;
  private readonly base: string;

  constructor(connection: RedisConnection, name: string, prefix?: string) {
    const c = connection as HistoryRedis;
    if (typeof c.bbTurnaround !== 'function') connection.defineCommand('bbTurnaround', { lua: TURNAROUND, numberOfKeys: 0 });
    this.r = c;
    this.base = queueKeyBase(name, prefix);
  }

  async arrivalCounts(from: Date, to: Date, binMs: number): Promise<number[]> {
    const f = from.getTime();
    const t = to.getTime();
    if (!(Number.isFinite(binMs) && binMs >= 1)) throw new RangeError(`binMs must be >= 1; got ${String(binMs)}`);
    if (!(Number.isFinite(f) && Number.isFinite(t))) throw new RangeError('from and to must be valid dates');
    const bins = Math.max(0, Math.ceil((t - f) / binMs));
    const out = new Array<number>(bins).fill(0);
    const secondsFrom = Date.now() - 3_600_000;
    const keys: Array<{ key: string; at: number }> = [];
    // Seconds where they are kept and a bin is finer than a minute; minutes otherwise.
    for (let m = Math.floor(f / 60_000) * 60_000; m < t; m += 60_000) {
      if (binMs < 60_000 && m >= secondsFrom) {
        for (let sec = m; sec < m + 60_000; sec += 1000) if (sec >= f && sec < t) keys.push({ key: `${this.base}:bb:s:${sec / 1000}`, at: sec });
      } else {
        keys.push({ key: `${this.base}:bb:m:${m / 60_000}`, at: Math.max(m, f) });
      }
    }
    for (let i = 0; i < keys.length; i += 2000) {
      const chunk = keys.slice(i, i + 2000);
      const m = this.r.multi();
      for (const k of chunk) m.hget(k.key, 'a');
      const res = (await m.exec()) ?? [];
      chunk.forEach((k, j) => {
        const n = Number(res[j]?.[1] ?? 0);
        const b = Math.floor((k.at - f) / binMs);
        if (n > 0 && b >= 0 && b < bins) out[b] = (out[b] ?? 0) + n;
      });
    }
    return out;
  }

  async firstArrival(): Promise<Date | undefined> {
    const v = await this.r.get(`${this.base}:bb:first`);
    return v === null ? undefined : new Date(Number(v));
  }

  async turnaround(from: Date, to: Date, sloSeconds: number, by: 'ended' | 'enqueued'): Promise<TurnaroundStats> {
    const r = await this.r.bbTurnaround(this.base, from.getTime(), to.getTime(), sloSeconds * 1000, by === 'enqueued' ? '1' : '0', MAX_JOBS_READ);
    const n = (i: number): number => Number(r[i] ?? 0);
    const completed = n(0);
    const mean = completed > 0 ? n(3) / completed : undefined;
    const cv = completed >= 2 && mean !== undefined && mean > 0
      ? Math.sqrt(Math.max(0, n(4) / completed - mean * mean) * (completed / (completed - 1))) / mean : undefined;
    return {
      completed, deadLettered: n(1), withinSlo: n(2), lateUnfinished: 0, pending: 0,
      ...(r[5] ? { p50Seconds: Number(r[5]) / 1000 } : {}),
      ...(r[6] ? { p95Seconds: Number(r[6]) / 1000 } : {}),
      ...(mean !== undefined ? { serviceMeanSeconds: mean / 1000 } : {}),
      ...(cv !== undefined ? { serviceCv: cv } : {}),
    };
  }
}
