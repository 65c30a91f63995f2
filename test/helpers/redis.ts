/**
 * Real Redis for the tests, never a mock: `REDIS_URL` when set, otherwise a private `redis-server`
 * on a free port for the test file (started once, stopped after). A machine without redis-server
 * fails with the install command. Every test takes a fresh queue name and deletes its keys after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseRedisUrl, queueKeyBase, type RedisTarget } from '../../src/adapters/redis-client.js';

export const REDIS_INSTALL_HINT = 'redis-server is not installed: install it with `apt-get install -y redis-server` (Debian), or set REDIS_URL';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisServerOptions {
  port?: number;
  /** Persist to an append-only file (so a restart on the same port keeps every job). Default false. */
  persistent?: boolean;
  dir?: string;
}

/** A redis-server process this test owns: stop and start it again on the same port with its data. */
export class RedisServer {
  private child: ChildProcess | undefined;
  readonly dir: string;
  private readonly ownsDir: boolean;

  private constructor(readonly port: number, private readonly persistent: boolean, dir: string | undefined) {
    this.ownsDir = dir === undefined;
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'bb-redis-'));
  }

  static async start(opts: RedisServerOptions = {}): Promise<RedisServer> {
    if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) throw new Error(REDIS_INSTALL_HINT);
    const s = new RedisServer(opts.port ?? await freePort(), opts.persistent === true, opts.dir);
    await s.startProcess();
    return s;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async startProcess(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '',
      '--appendonly', this.persistent ? 'yes' : 'no', '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'warning'];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({ port: this.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') { probe.disconnect(); return; }
      } catch {
        // not up yet
      }
      probe.disconnect();
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the process (SIGTERM: it flushes the append-only file first) and waits for it to exit. */
  async stopProcess(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  async stop(): Promise<void> {
    await this.stopProcess();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface TestRedis {
  url: string;
  target(name: string): RedisTarget;
  close(): Promise<void>;
}

/** The suite's Redis: REDIS_URL, or a private server (call in beforeAll, close in afterAll). */
export async function suiteRedis(): Promise<TestRedis> {
  const fromEnv = process.env.REDIS_URL;
  const server = fromEnv ? undefined : await RedisServer.start();
  const url = fromEnv ?? (server as RedisServer).url;
  return {
    url,
    target: (name) => parseRedisUrl(`${url}${url.includes('?') ? '&' : '?'}name=${name}`),
    close: async () => { await server?.stop(); },
  };
}

/** A queue name no other test uses. */
export function uniqueQueueName(tag = 't'): string {
  return `${tag}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key of queue `name` (BullMQ's and bountybot's). */
export async function deleteQueueKeys(client: Redis, name: string): Promise<void> {
  const pattern = `${queueKeyBase(name)}:*`;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
  await client.del(queueKeyBase(name));
}
