/**
 * The queue URL that picks the backend: `sqlite:PATH` (the default: one machine, no Redis) or
 * `redis://HOST:PORT[/DB][?name=QUEUE]` (BullMQ; `rediss://` for TLS).
 */
import { UsageError } from '../autoscaling/errors.js';
import { parseRedisUrl, type RedisTarget } from '../adapters/redis-client.js';

/** `text` is the URL as given (with any password: pass it on, never print it); `display` is safe to print. */
export type QueueUrl =
  | { kind: 'sqlite'; path: string; text: string; display: string }
  | { kind: 'redis'; target: RedisTarget; text: string; display: string };

export function parseQueueUrl(text: string, field = '--queue'): QueueUrl {
  const t = text.trim();
  if (t.startsWith('sqlite:')) {
    const path = t.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new UsageError(`${field}: sqlite: needs a database path, e.g. sqlite:./data/bountybot.db`);
    return { kind: 'sqlite', path, text: `sqlite:${path}`, display: `sqlite:${path}` };
  }
  if (/^rediss?:\/\//i.test(t)) {
    const target = parseRedisUrl(t, field);
    return { kind: 'redis', target, text: t, display: target.display };
  }
  throw new UsageError(`${field} must be sqlite:PATH or redis://HOST:PORT[/DB][?name=QUEUE]; got ${JSON.stringify(t.slice(0, 200))}`);
}

/** The default queue: the SQLite file at `databasePath`. */
export function sqliteQueueUrl(databasePath: string): QueueUrl {
  return { kind: 'sqlite', path: databasePath, text: `sqlite:${databasePath}`, display: `sqlite:${databasePath}` };
}
