/**
 * Leader election between controller replicas on one Redis queue: a lease key taken with
 * `SET NX PX` and renewed by its holder (Lua: only the holder may renew or release), and a
 * fencing token from `INCR`, new for every change of holder.
 *
 * - A standby takes the lease once it expires: within TTL (+ one renew period) of the leader's death.
 * - The leader trusts its lease locally only until `renew start + TTL - margin`, so it stops
 *   acting before any standby can have taken over, even when Redis is unreachable.
 * - `fence(token)` is the check before each scale call: it passes only while `token` is the
 *   holder's and no newer token has acted, and records the call (`bb:leader:fence-log`, capped),
 *   so an audit can prove two leaders never acted in the same period.
 */
import type { Redis } from 'ioredis';
import type { LeaderElector, Leadership } from '../control/ports.js';
import { queueKeyBase } from './redis-client.js';

export interface RedisLeaderOptions {
  connection: Redis;
  name: string;
  prefix?: string;
  /** This replica (host:pid:instance); shown as the holder. */
  identity: string;
  /** Lease time to live, ms. Default 10000. */
  ttlMs?: number;
  /** Local safety margin below the TTL for clock drift and latency, ms. Default max(200, TTL / 10). */
  marginMs?: number;
  /** Entries kept in the fence log. Default 1000. */
  fenceLogSize?: number;
}

const ACQUIRE = `
local lk, tk, id, ttl = KEYS[1], KEYS[2], ARGV[1], ARGV[2]
local cur = redis.call('GET', lk)
if not cur then
  local token = redis.call('INCR', tk)
  redis.call('SET', lk, id .. '|' .. token, 'PX', ttl)
  return { 1, tostring(token), id, ttl }
end
local holder, token = string.match(cur, '^(.*)|(%d+)$')
if holder == id then
  redis.call('PEXPIRE', lk, ttl)
  return { 1, token, holder, ttl }
end
return { 0, token or '', holder or cur, redis.call('PTTL', lk) }
`;

const RELEASE = `
local cur = redis.call('GET', KEYS[1])
if cur and string.match(cur, '^(.*)|%d+$') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

const FENCE = `
local lk, fk, logk, id, token, keep = KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], tonumber(ARGV[3])
if redis.call('GET', lk) ~= id .. '|' .. token then return 0 end
if tonumber(token) < (tonumber(redis.call('GET', fk)) or 0) then return 0 end
redis.call('SET', fk, token)
local t = redis.call('TIME')
redis.call('RPUSH', logk, token .. '|' .. id .. '|' .. t[1] .. string.format('%06d', tonumber(t[2])))
redis.call('LTRIM', logk, -keep, -1)
return 1
`;

type LeaderRedis = Redis & {
  bbLeaderAcquire(lk: string, tk: string, id: string, ttl: number): Promise<[number, string, string, number]>;
  bbLeaderRelease(lk: string, id: string): Promise<number>;
  bbLeaderFence(lk: string, fk: string, logk: string, id: string, token: number, keep: number): Promise<number>;
};

/** One entry of the fence log: a scale call that passed the fence. */
export interface FenceLogEntry { token: number; identity: string; atMicros: number }

export class RedisLeaderElector implements LeaderElector {
  private readonly r: LeaderRedis;
  private readonly keys: { lease: string; token: string; fence: string; log: string };
  private readonly ttlMs: number;
  private readonly marginMs: number;
  private state: Leadership;
  /** Local time until which this replica may act on its lease. */
  private validUntil = 0;

  constructor(private readonly o: RedisLeaderOptions) {
    const c = o.connection as LeaderRedis;
    if (typeof c.bbLeaderAcquire !== 'function') {
      o.connection.defineCommand('bbLeaderAcquire', { lua: ACQUIRE, numberOfKeys: 2 });
      o.connection.defineCommand('bbLeaderRelease', { lua: RELEASE, numberOfKeys: 1 });
      o.connection.defineCommand('bbLeaderFence', { lua: FENCE, numberOfKeys: 3 });
    }
    this.r = c;
    const base = `${queueKeyBase(o.name, o.prefix)}:bb:leader`;
    this.keys = { lease: base, token: `${base}:token`, fence: `${base}:fence`, log: `${base}:fence-log` };
    this.ttlMs = o.ttlMs ?? 10_000;
    if (!(Number.isInteger(this.ttlMs) && this.ttlMs >= 100)) throw new RangeError(`ttlMs must be an integer >= 100; got ${String(o.ttlMs)}`);
    this.marginMs = o.marginMs ?? Math.max(200, Math.floor(this.ttlMs / 10));
    this.state = { leader: false, identity: o.identity };
  }

  get ttl(): number {
    return this.ttlMs;
  }

  async tick(nowMs: number): Promise<Leadership> {
    const started = Date.now();
    try {
      const [won, token, holder, pttl] = await this.r.bbLeaderAcquire(this.keys.lease, this.keys.token, this.o.identity, this.ttlMs);
      if (won === 1) this.validUntil = started + this.ttlMs - this.marginMs;
      const leader = won === 1;
      this.state = {
        leader, identity: this.o.identity, ...(holder ? { holder } : {}),
        ...(token !== '' ? { token: Number(token) } : {}),
        ...(Number(pttl) > 0 ? { expiresAt: nowMs + Number(pttl) } : {}),
      };
    } catch {
      // Redis unreachable: keep leading only while the lease we last renewed cannot have expired.
      const leader = this.state.leader && Date.now() < this.validUntil;
      this.state = { ...this.state, leader, ...(leader ? { expiresAt: nowMs + (this.validUntil - Date.now()) } : {}) };
    }
    return this.current();
  }

  current(): Leadership {
    const leader = this.state.leader && Date.now() < this.validUntil;
    return { ...this.state, leader };
  }

  async release(): Promise<void> {
    this.state = { leader: false, identity: this.o.identity };
    this.validUntil = 0;
    await this.r.bbLeaderRelease(this.keys.lease, this.o.identity).catch(() => undefined);
  }

  async fence(token: number): Promise<boolean> {
    if (!this.current().leader || this.state.token !== token) return false;
    try {
      return (await this.r.bbLeaderFence(this.keys.lease, this.keys.fence, this.keys.log, this.o.identity, token,
        this.o.fenceLogSize ?? 1000)) === 1;
    } catch {
      return false;
    }
  }

  /** The scale calls that passed the fence, oldest first (audits and tests). */
  async fenceLog(): Promise<FenceLogEntry[]> {
    const rows = await this.r.lrange(this.keys.log, 0, -1);
    return rows.map((row) => {
      const [token, identity, at] = [row.slice(0, row.indexOf('|')), row.slice(row.indexOf('|') + 1, row.lastIndexOf('|')), row.slice(row.lastIndexOf('|') + 1)];
      return { token: Number(token), identity, atMicros: Number(at) };
    });
  }
}
