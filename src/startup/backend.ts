/**
 * Opens the queue backend a queue URL names, with the ports every command needs: the job queue,
 * the worker registry, the controller store (state, audit log, ledger, heartbeat) and a leader
 * elector. SQLite: one file. Redis: BullMQ for the queue, the Redis store and lease next to it.
 *
 * Connection profiles (see redis-client.ts): `worker` and `load` wait out a Redis outage (jobs
 * in hand are never given up, a replayed trace is never cut short); the controller and the
 * producer API fail fast (a metrics read errors and the loop falls back; a caller retries its
 * enqueue with the same idempotency key).
 */
import { BullmqJobQueue } from '../adapters/bullmq-queue.js';
import { connectRedis, type RedisConnection as Redis, type RedisRole } from '../adapters/redis-client.js';
import { RedisLeaderElector } from '../adapters/redis-leader.js';
import { RedisStore } from '../adapters/redis-store.js';
import { SqliteStore } from '../adapters/sqlite-store.js';
import { BullmqJobHistory } from '../adapters/bullmq-job-history.js';
import type { RetryPolicy } from '../adapters/sqlite-queue.js';
import type { ControllerStore } from '../control/interfaces.js';
import type { JobHistory, JobQueue, LeaderElector, SpendLedger, WorkerRegistry } from '../control/ports.js';
import type { QueueUrl } from './queue-url.js';

export type BackendRole = 'worker' | 'controller' | 'load' | 'producer';

export interface QueueBackend {
  readonly url: QueueUrl;
  readonly queue: JobQueue;
  readonly registry: WorkerRegistry;
  /** Controller state, audit log, spend ledger and the controller heartbeat workers read. */
  readonly store: ControllerStore & SpendLedger;
  /** The controller lease over this backend. */
  leaderElector(o: { identity: string; leaseMs: number }): LeaderElector;
  /** What the queue remembers of past jobs (dashboard, shadow mode, replay). */
  readonly jobHistory: JobHistory;
  /**
   * The dashboard's tick history: the SQLite file itself; for Redis, this host's SQLite file at
   * `localStatePath` (opened on first use; controllers only).
   */
  tickHistory(): SqliteStore;
  /** Deletes finished jobs that ended before `before`; returns how many. */
  purgeEnded(before: Date): Promise<number>;
  close(): Promise<void>;
}

export interface OpenBackendOptions {
  retry?: Partial<RetryPolicy>;
  /** Redis: how often a leasing process runs BullMQ's stalled-job check, ms. */
  stalledIntervalMs?: number;
  /** Redis: a fail-fast command not answered within this fails, ms. Default 2000. */
  commandTimeoutMs?: number;
  /** Redis: how long to wait for Redis at start-up, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** Redis: this host's SQLite file for the dashboard's tick history. Default ./data/bountybot.db. */
  localStatePath?: string;
}

const PROFILE: Record<BackendRole, RedisRole> = { worker: 'worker', load: 'worker', controller: 'controller', producer: 'controller' };

export async function openBackend(url: QueueUrl, role: BackendRole, o: OpenBackendOptions = {}): Promise<QueueBackend> {
  if (url.kind === 'sqlite') {
    const store = SqliteStore.open({ path: url.path, ...(o.retry ? { retry: o.retry } : {}) });
    return {
      url, queue: store.queue, registry: store, store, jobHistory: store.jobHistory, tickHistory: () => store,
      leaderElector: (e) => store.leaderElector(e),
      purgeEnded: (before) => Promise.resolve(store.queue.purgeEnded(before)),
      close: () => { store.close(); return Promise.resolve(); },
    };
  }
  const { target } = url;
  const profile = { role: PROFILE[role], ...(o.commandTimeoutMs !== undefined ? { commandTimeoutMs: o.commandTimeoutMs } : {}) };
  const main = await connectRedis(target, { ...profile, clientName: `bountybot:${role}` }, o.connectTimeoutMs);
  const extra: Redis[] = [];
  const queue = new BullmqJobQueue({
    connection: main, name: target.name, ...(o.retry ? { retry: o.retry } : {}), prefetch: role === 'worker',
    ...(o.stalledIntervalMs !== undefined ? { stalledIntervalMs: o.stalledIntervalMs } : {}),
  });
  const store = new RedisStore({ connection: main, name: target.name });
  let local: SqliteStore | undefined;
  return {
    url, queue, registry: store, store, jobHistory: new BullmqJobHistory(main, target.name),
    tickHistory: () => {
      local ??= SqliteStore.open({ path: o.localStatePath ?? './data/bountybot.db' });
      return local;
    },
    leaderElector: (e) => {
      // Its own connection: a lease renewal never waits behind a slow read.
      const elector = new LazyRedisLeader(async () => {
        const c = await connectRedis(target, { ...profile, role: 'controller', clientName: `bountybot:${role}:lease` });
        extra.push(c);
        return new RedisLeaderElector({ connection: c, name: target.name, identity: e.identity, ttlMs: e.leaseMs });
      }, e.identity);
      return elector;
    },
    purgeEnded: (before) => queue.purgeEnded(before),
    close: async () => {
      local?.close();
      await queue.close();
      for (const c of [...extra, main]) await c.quit().catch(() => c.disconnect());
    },
  };
}

/** Connects the lease's own connection on first use; until then (or if that fails) it is not leader. */
class LazyRedisLeader implements LeaderElector {
  private inner: Promise<RedisLeaderElector> | undefined;
  private ready: RedisLeaderElector | undefined;

  constructor(private readonly make: () => Promise<RedisLeaderElector>, private readonly identity: string) {}

  private get(): Promise<RedisLeaderElector> {
    this.inner ??= this.make().then((e) => { this.ready = e; return e; }, (err: unknown) => { this.inner = undefined; throw err; });
    return this.inner;
  }

  async tick(nowMs: number) {
    try {
      return await (await this.get()).tick(nowMs);
    } catch {
      return { leader: false, identity: this.identity };
    }
  }

  current() {
    return this.ready?.current() ?? { leader: false, identity: this.identity };
  }

  async release(): Promise<void> {
    await this.ready?.release();
  }

  async fence(token: number): Promise<boolean> {
    return this.ready ? this.ready.fence(token) : false;
  }
}
