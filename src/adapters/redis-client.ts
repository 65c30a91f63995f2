/**
 * Redis connections for the Redis-backed adapters (BullMQ queue, Redis store, Redis leader
 * elector): the `redis://HOST:PORT[/DB][?name=QUEUE]` URL and the two connection profiles.
 *
 * - `worker`: waits out an outage (BullMQ's required `maxRetriesPerRequest: null`, commands
 *   queue until Redis is back), so a worker holding jobs never gives them up on a blip.
 * - `controller`: fails fast (a command times out after `commandTimeoutMs`, nothing is queued
 *   while disconnected), so a metrics read during an outage errors and the loop falls back
 *   instead of hanging a tick.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { UsageError } from '../autoscaling/errors.js';

export const DEFAULT_REDIS_QUEUE_NAME = 'bountybot';

/** A Redis connection, for code outside src/adapters/ that hands one around (it never imports ioredis). */
export type RedisConnection = Redis;

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
  /** BullMQ queue name; every bountybot key of this queue lives under `bull:<name>:`. */
  name: string;
  /** The URL without its password, for logs and status. */
  display: string;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Parses `redis://[user:pass@]HOST[:PORT][/DB][?name=QUEUE]` (or `rediss://` for TLS). */
export function parseRedisUrl(text: string, field = '--queue'): RedisTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${field} must be redis://HOST:PORT[/DB][?name=QUEUE] or sqlite:PATH; got ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new UsageError(`${field}: unsupported scheme ${JSON.stringify(u.protocol)}; use redis://, rediss:// or sqlite:`);
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const port = u.port === '' ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!/^\d{1,2}$/.test(dbText === '' ? '0' : dbText) || !(db >= 0 && db <= 15)) {
    throw new UsageError(`${field}: database must be an integer in [0, 15]; got ${JSON.stringify(dbText)}`);
  }
  for (const key of u.searchParams.keys()) {
    if (key !== 'name') throw new UsageError(`${field}: unknown parameter ${JSON.stringify(key)}; only ?name=QUEUE is accepted`);
  }
  const name = u.searchParams.get('name') ?? DEFAULT_REDIS_QUEUE_NAME;
  if (!NAME_RE.test(name)) {
    throw new UsageError(`${field}: name must be 1-100 letters, digits, '.', '_' or '-' (no ':'); got ${JSON.stringify(name.slice(0, 120))}`);
  }
  const username = u.username === '' ? undefined : decodeURIComponent(u.username);
  const password = u.password === '' ? undefined : decodeURIComponent(u.password);
  const auth = username !== undefined || password !== undefined ? `${username ?? ''}:***@` : '';
  return {
    host, port, db, tls: u.protocol === 'rediss:', name,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    display: `${u.protocol}//${auth}${u.host}/${db}?name=${name}`,
  };
}

export type RedisRole = 'worker' | 'controller';

export interface RedisConnectOptions {
  role: RedisRole;
  /** Shown in `CLIENT LIST` (bountybot:<role>:<what>). */
  clientName: string;
  /** Controller profile: a command not answered within this fails, ms. Default 2000. */
  commandTimeoutMs?: number;
}

/** ioredis options for a target and role (see the file comment). */
export function redisOptions(t: RedisTarget, o: RedisConnectOptions): RedisOptions {
  const base: RedisOptions = {
    host: t.host, port: t.port, db: t.db, connectionName: o.clientName,
    ...(t.username !== undefined ? { username: t.username } : {}),
    ...(t.password !== undefined ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
    // Reconnect forever, at most every 2 s: an outage ends when Redis is back, not when we give up.
    retryStrategy: (times: number) => Math.min(2000, 50 * 2 ** Math.min(times, 6)),
  };
  if (o.role === 'worker') return { ...base, maxRetriesPerRequest: null };
  return {
    ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false,
    commandTimeout: o.commandTimeoutMs ?? 2000, connectTimeout: o.commandTimeoutMs ?? 2000,
  };
}

/** Redis could not be reached at start-up (an environment problem, exit 2); the message names the target. */
export class RedisUnavailableError extends UsageError {
  constructor(message: string, cause?: unknown) {
    super(message, { cause, code: 'REDIS_UNAVAILABLE' });
  }
}

/**
 * Connects and waits until Redis answers, retrying (the profile's backoff) for up to `timeoutMs`:
 * a process started while Redis is briefly away waits for it rather than failing at once. The
 * connection reconnects by itself afterwards.
 */
export async function connectRedis(t: RedisTarget, o: RedisConnectOptions, timeoutMs = 5000): Promise<Redis> {
  const client = new Redis({ ...redisOptions(t, o), lazyConnect: false });
  // Without a listener ioredis prints every reconnect error; callers log outages themselves.
  let lastError: string | undefined;
  const onError = (err: Error): void => { lastError = err.message; };
  client.on('error', onError);
  let timer: NodeJS.Timeout | undefined;
  let onReady: (() => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      onReady = resolve;
      if (client.status === 'ready') resolve();
      else client.once('ready', onReady);
    });
    await client.ping();
    return client;
  } catch (err) {
    client.disconnect();
    const why = lastError ?? (err instanceof Error ? err.message : String(err));
    throw new RedisUnavailableError(`cannot connect to Redis at ${t.display}: ${why}`, err);
  } finally {
    clearTimeout(timer);
    if (onReady) client.off('ready', onReady);
    client.off('error', onError);
    client.on('error', () => undefined);
  }
}

/** `bull:<name>` — BullMQ's key prefix for the queue; bountybot's own keys sit under `<base>:bb:`. */
export function queueKeyBase(name: string, prefix = 'bull'): string {
  return `${prefix}:${name}`;
}
