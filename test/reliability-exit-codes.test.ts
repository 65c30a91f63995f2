import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { spawnCli, killAll, type CliProcess } from './helpers/runtime-helpers.js';

let dir: string;
let blocker: Server;
let busyPort: number;
const procs: CliProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-exit-'));
  writeFileSync(join(dir, 'not-a-dir'), 'a file');
  writeFileSync(join(dir, 'bad.yaml'), 'autoscaling:\n  min_workers: 5\n  max_workers: 2\n');
  writeFileSync(join(dir, 'typo.yaml'), 'autoscaling:\n  max_worker: 3\n');
  blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  busyPort = (blocker.address() as { port: number }).port;
});

afterAll(async () => {
  killAll(procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined));
  await new Promise<void>((r) => blocker.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const p = spawnCli(args, { BOUNTYBOT_LOG_LEVEL: 'warn', ...env });
  procs.push(p);
  const { code } = await p.exited;
  return { code, stderr: p.stderr(), stdout: p.stdout() };
}

const db = (name: string): string => join(dir, `${name}.db`);

describe('bountybot run: environment problems exit 2 with one clear message', () => {
  const cases = [
    { name: 'config with min > max', args: () => ['run', '--config', join(dir, 'bad.yaml'), '--db', db('a'), '--port', '0'], message: /min_workers.*max_workers|max_workers.*min_workers/ },
    { name: 'config with an unknown key', args: () => ['run', '--config', join(dir, 'typo.yaml'), '--db', db('b'), '--port', '0'], message: /unknown key autoscaling\.max_worker.*max_workers/ },
    { name: 'missing config file', args: () => ['run', '--config', join(dir, 'nope.yaml'), '--db', db('c'), '--port', '0'], message: /config file not found/ },
    { name: 'unwritable database path', args: () => ['run', '--db', join(dir, 'not-a-dir', 'sub', 'x.db'), '--port', '0'], message: /cannot open database .*not-a-dir/ },
    { name: 'missing handler module', args: () => ['run', '--db', db('d'), '--handler', './no/such-handler.js', '--port', '0'], message: /handler module not found: "\.\/no\/such-handler\.js"/ },
    { name: 'port in use', args: () => ['run', '--db', db('e'), '--port', String(busyPort)], message: /port \d+ on 127\.0\.0\.1 is already in use/ },
    { name: 'bad numeric flag', args: () => ['run', '--db', db('f'), '--port', 'eighty'], message: /option '--port <n>' argument 'eighty' is invalid\. Expected an integer in \[0, 65535\]/ },
    { name: 'database under /proc (used to hang with no output)', args: () => ['run', '--db', '/proc/nope/x.db', '--port', '0'], message: /cannot open database "\/proc\/nope\/x\.db" for writing: ENOENT/ },
    { name: 'database path is a directory', args: () => ['run', '--db', dir, '--port', '0'], message: /cannot open database .* for writing/ },
    { name: 'worker log not writable', args: () => ['run', '--db', db('g'), '--port', '0', '--worker-log', '/proc/nope/w.log'], message: /cannot write the worker log "\/proc\/nope\/w\.log"/ },
    { name: 'blank BOUNTYBOT_API_TOKEN', args: () => ['run', '--db', db('h'), '--port', '0'], env: { BOUNTYBOT_API_TOKEN: ' ' }, message: /BOUNTYBOT_API_TOKEN.*(blank|whitespace)/ },
    { name: 'short token on a non-loopback address', args: () => ['run', '--db', db('i'), '--port', '0', '--host', '0.0.0.0'], env: { BOUNTYBOT_API_TOKEN: 'short-token' }, message: /at least 16 characters.*got 11/ },
    { name: 'start: database under /proc', args: () => ['start', '--db', '/proc/nope/x.db'], message: /cannot write log file "\/proc\/nope\/controller\.log"/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await run(c.args(), 'env' in c ? c.env : {});
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^bountybot: /);
      expect(lines[0]).toMatch(c.message);
    }, 30_000);
  }

  it('port in use: no worker was started', async () => {
    const path = db('e');
    if (!existsSync(path)) return expect(existsSync(path)).toBe(false);
    const store = SqliteStore.open({ path });
    try {
      expect(await store.listWorkers()).toEqual([]);
    } finally {
      store.close();
    }
  });

  const workerCases = [
    { name: 'worker: missing handler', args: () => ['worker', '--db', join(dir, 'w.db'), '--handler', './nope.js'], message: /handler module not found/ },
    { name: 'worker: unwritable database', args: () => ['worker', '--db', join(dir, 'not-a-dir', 'w.db')], message: /cannot open database/ },
    { name: 'worker: bad concurrency', args: () => ['worker', '--db', join(dir, 'w.db'), '--concurrency', '0'], message: /option '--concurrency <n>' argument '0' is invalid\. Expected an integer in \[1, 256\]/ },
    { name: 'worker: concurrency 1e9', args: () => ['worker', '--db', join(dir, 'w.db'), '--concurrency', '1e9'], message: /argument '1e9' is invalid/ },
    { name: 'load: no source', args: () => ['load', '--db', join(dir, 'l.db')], message: /exactly one of --trace FILE or --scenario NAME/ },
    { name: 'load: unknown scenario', args: () => ['load', '--db', join(dir, 'l.db'), '--scenario', 'nope'], message: /argument 'nope' is invalid\. Allowed choices are/ },
  ];
  for (const c of workerCases) {
    it(c.name, async () => {
      const r = await run(c.args());
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(c.message);
    }, 30_000);
  }
});
