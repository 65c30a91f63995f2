/**
 * The BullMQ queue's own counters and window statistics, kept in Redis next to BullMQ's keys
 * (`<base>:bb:*`, base = `bull:<queue>`). Every write and read is one Lua script that takes its
 * time from Redis (`TIME`), so producers and workers on many hosts share one clock and one set of
 * buckets. A read costs a bounded amount of Redis work whatever the backlog: it never looks at
 * waiting jobs beyond the head of the wait list.
 *
 * Layout:
 * - `first`: when the first job arrived (ms). `enq`, `purged`: jobs ever accepted (an idempotent re-enqueue is not counted: the job hash
 *   carries a `bbc` mark) and jobs deleted by housekeeping.
 * - `s:<epoch s>` (kept 1 h) and `m:<epoch min>` (kept 25 h): hashes of arrivals `a`,
 *   completions `c`, failed attempts `f`, processing-time sum `ls` and sum of squares `lq` (ms).
 *   A window sum reads whole minutes from `m:` and the ragged edges from `s:`: at most
 *   118 + minutes hashes per window.
 * - `lat`: the processing times of the most recent completions (`<end ms>:<ms>`, capped list),
 *   the reservoir the p95 is taken from.
 */
import type { Redis } from 'ioredis';
import type { QueueWindowStats } from '../control/ports.js';
import { serviceTimeCvFromSums } from '../control/queue-stats.js';

export const SECOND_BUCKET_TTL_S = 3700;
export const MINUTE_BUCKET_TTL_S = 25 * 3600;
/** Completions whose processing time the p95 is read from. */
export const DEFAULT_RESERVOIR_SIZE = 2048;

const ARRIVALS = `
local base, n = ARGV[1], 0
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 and redis.call('HSETNX', KEYS[i], 'bbc', '1') == 1 then n = n + 1 end
end
if n == 0 then return 0 end
redis.call('INCRBY', base .. ':bb:enq', n)
local now = redis.call('TIME')
local sec = tonumber(now[1])
redis.call('SET', base .. ':bb:first', string.format('%d', sec * 1000 + math.floor(tonumber(now[2]) / 1000)), 'NX')
local keys = { base .. ':bb:s:' .. sec, base .. ':bb:m:' .. math.floor(sec / 60) }
local ttls = { ${SECOND_BUCKET_TTL_S}, ${MINUTE_BUCKET_TTL_S} }
for i = 1, 2 do
  redis.call('HINCRBY', keys[i], 'a', n)
  redis.call('EXPIRE', keys[i], ttls[i])
end
return n
`;

// ARGV: base, completions, failed attempts, processing-time sum, sum of squares, reservoir size, then the samples.
const ENDED = `
local base, c, f, ls, lq, keep = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5], tonumber(ARGV[6])
local sec = tonumber(redis.call('TIME')[1])
local keys = { base .. ':bb:s:' .. sec, base .. ':bb:m:' .. math.floor(sec / 60) }
local ttls = { ${SECOND_BUCKET_TTL_S}, ${MINUTE_BUCKET_TTL_S} }
for i = 1, 2 do
  if c > 0 then
    redis.call('HINCRBY', keys[i], 'c', c)
    redis.call('HINCRBYFLOAT', keys[i], 'ls', ls)
    redis.call('HINCRBYFLOAT', keys[i], 'lq', lq)
  end
  if f > 0 then redis.call('HINCRBY', keys[i], 'f', f) end
  redis.call('EXPIRE', keys[i], ttls[i])
end
if #ARGV > 6 then
  redis.call('LPUSH', base .. ':bb:lat', unpack(ARGV, 7))
  redis.call('LTRIM', base .. ':bb:lat', 0, keep - 1)
end
return c + f
`;

const WINDOW = `
local base, windowMs, rateMs, reservoir = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local t = redis.call('TIME')
local sec = tonumber(t[1])
local now = sec * 1000 + math.floor(tonumber(t[2]) / 1000)
local function add(key, acc)
  local v = redis.call('HMGET', key, 'a', 'c', 'f', 'ls', 'lq')
  for i = 1, 5 do if v[i] then acc[i] = acc[i] + tonumber(v[i]) end end
end
-- Sums over the last \`secs\` seconds, the current one included.
local function sum(secs)
  local acc = { 0, 0, 0, 0, 0 }
  local s = sec - secs + 1
  -- Second buckets live ~1 h: an older start edge is read at minute precision.
  if secs > ${SECOND_BUCKET_TTL_S - 100} then s = s - (s % 60) end
  while s <= sec do
    if s % 60 == 0 and s + 59 <= sec then
      add(base .. ':bb:m:' .. (s / 60), acc)
      s = s + 60
    else
      add(base .. ':bb:s:' .. s, acc)
      s = s + 1
    end
  end
  return acc
end
local rate = sum(math.max(1, math.floor(rateMs / 1000)))
local win = sum(math.max(1, math.floor(windowMs / 1000)))
local waiting = redis.call('LLEN', base .. ':wait') + redis.call('ZCARD', base .. ':prioritized')
  + redis.call('ZCARD', base .. ':delayed')
local active = redis.call('LLEN', base .. ':active')
local oldest = ''
local head = redis.call('LINDEX', base .. ':wait', -1)
if head then oldest = redis.call('HGET', base .. ':' .. head, 'timestamp') or '' end
local d = redis.call('ZRANGE', base .. ':delayed', 0, 0)
if d[1] then
  local ts = redis.call('HGET', base .. ':' .. d[1], 'timestamp')
  if ts and (oldest == '' or tonumber(ts) < tonumber(oldest)) then oldest = ts end
end
local lats = {}
for _, e in ipairs(redis.call('LRANGE', base .. ':bb:lat', 0, reservoir - 1)) do
  local at, ms = string.match(e, '^(%d+):(%d+)$')
  if at and tonumber(at) >= now - windowMs then lats[#lats + 1] = tonumber(ms) end
end
table.sort(lats)
local function s(x) return string.format('%.17g', x) end
return { s(now), s(waiting), s(active), s(rate[1]), s(rate[2]), s(win[2]), s(win[3]), s(win[4]), s(win[5]), oldest,
  s(#lats), #lats > 0 and s(lats[math.min(#lats, math.floor(0.95 * #lats) + 1)]) or '' }
`;

type StatsRedis = Redis & {
  bbArrivals(...args: Array<string | number>): Promise<number>;
  bbEnded(...args: Array<string | number>): Promise<number>;
  bbWindow(base: string, windowMs: number, rateMs: number, reservoir: number): Promise<string[]>;
};

/** Defines the scripts on a connection (idempotent); ioredis sends them by SHA after the first call. */
export function withStatsScripts(client: Redis): StatsRedis {
  const c = client as StatsRedis;
  if (typeof c.bbArrivals !== 'function') {
    client.defineCommand('bbArrivals', { lua: ARRIVALS });
    client.defineCommand('bbEnded', { lua: ENDED, numberOfKeys: 0 });
    client.defineCommand('bbWindow', { lua: WINDOW, numberOfKeys: 0 });
  }
  return c;
}

/** Counts newly accepted jobs (each job once, whatever the retries) as arrivals. */
export function recordArrivals(client: StatsRedis, base: string, jobIds: readonly string[]): Promise<number> {
  const keys = jobIds.map((id) => `${base}:${id}`);
  return client.bbArrivals(keys.length, ...keys, base);
}

/**
 * Ended attempts of one process, sent in batches (every `flushMs`, or `maxBatch` samples) so a
 * worker pays one small script per batch rather than per job. A crash loses at most one batch of
 * samples: statistics only, the jobs themselves are accounted for by BullMQ.
 */
export class EndedAttempts {
  private completions = 0;
  private failed = 0;
  private sum = 0;
  private sumSq = 0;
  private samples: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: StatsRedis, private readonly base: string,
    private readonly reservoir = DEFAULT_RESERVOIR_SIZE, private readonly flushMs = 200, private readonly maxBatch = 500,
  ) {}

  completed(processingMs: number): void {
    const ms = Math.max(0, Math.round(processingMs));
    this.completions++;
    this.sum += ms;
    this.sumSq += ms * ms;
    this.samples.push(`${Date.now()}:${ms}`);
    this.schedule();
  }

  failedAttempt(): void {
    this.failed++;
    this.schedule();
  }

  /** Sends what is buffered now; resolves when Redis has it (errors are dropped: statistics only). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.completions + this.failed === 0) return this.flushing;
    const args = [this.base, this.completions, this.failed, this.sum, this.sumSq, this.reservoir, ...this.samples.slice(-this.reservoir)];
    this.completions = this.failed = this.sum = this.sumSq = 0;
    this.samples = [];
    this.flushing = this.flushing.then(() => this.client.bbEnded(...args)).then(() => undefined, () => undefined);
    return this.flushing;
  }

  private schedule(): void {
    if (this.samples.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => { void this.flush(); }, this.flushMs);
      this.timer.unref();
    }
  }
}

/** The window statistics in one script; see the file comment for its cost. */
export async function readWindowStats(
  client: StatsRedis, base: string, windowMs: number, rateWindowMs: number, reservoir = DEFAULT_RESERVOIR_SIZE,
): Promise<QueueWindowStats> {
  const r = await client.bbWindow(base, windowMs, rateWindowMs, reservoir);
  const num = (i: number): number => Number(r[i] ?? 0);
  const now = num(0);
  const done = num(5);
  const latSum = num(7);
  const oldest = r[9] ?? '';
  const p95 = r[11] ?? '';
  const cv = serviceTimeCvFromSums(done, latSum, num(8));
  return {
    waiting: num(1), inFlight: num(2), arrivals: num(3), completions: num(4),
    windowCompleted: done, windowFailed: num(6),
    oldestWaitSeconds: oldest === '' ? 0 : Math.max(0, (now - Number(oldest)) / 1000),
    ...(done > 0 ? { avgLatencySeconds: latSum / done / 1000 } : {}),
    ...(p95 !== '' ? { p95LatencySeconds: Number(p95) / 1000 } : {}),
    ...(cv !== undefined ? { serviceTimeCv: cv } : {}),
  };
}
