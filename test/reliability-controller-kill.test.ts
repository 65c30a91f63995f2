import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI_NODE_ARGS, killAll, pidAlive, REPO_ROOT, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';

let dir: string;
const procs: CliProcess[] = [];
const workerPids = new Set<number>();

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'bb-ckill-')); });
afterAll(() => {
  const pids = [...procs.map((p) => p.child.pid), ...workerPids].filter((p): p is number => p !== undefined && pidAlive(p));
  killAll(pids);
  rmSync(dir, { recursive: true, force: true });
});

interface LogLine { msg: string; [k: string]: unknown }
const logLines = (p: CliProcess): LogLine[] =>
  p.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);

function writeConfig(name: string): { config: string; db: string } {
  const db = join(dir, `${name}.db`);
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, [
    'autoscaling:', '  min_workers: 2', '  max_workers: 4', '  cooldown_minutes: 5',
    '  evaluation_interval_seconds: 0.5', '  metrics_window_minutes: 1', '  worker_startup_seconds: 2',
    `  database_path: ${JSON.stringify(db)}`, '  http_port: 0', '',
  ].join('\n'));
  return { config, db };
}

function runArgs(config: string, orphanSeconds: number): string[] {
  return ['run', '--config', config, '--worker-lease-seconds', '3', '--worker-orphan-timeout-seconds', String(orphanSeconds),
    '--worker-drain-timeout-seconds', '5', '--worker-log', join(dir, 'workers.log')];
}

function startController(config: string, orphanSeconds = 30): CliProcess {
  const p = spawnCli(runArgs(config, orphanSeconds), { BOUNTYBOT_DEMO_MEAN_SECONDS: '0.05' });
  procs.push(p);
  return p;
}

/**
 * The controller as the child of a parent that never reaps it (`sh` execs `sleep`): once killed
 * with -9 it stays a zombie, its pid still "exists". `child` is that parent.
 */
function startUnreapedController(config: string): CliProcess {
  const quote = (a: string): string => `'${a.replace(/'/g, "'\\''")}'`;
  const cmd = [process.execPath, ...CLI_NODE_ARGS, ...runArgs(config, 30)].map(quote).join(' ');
  const child = spawn('sh', ['-c', `${cmd} & exec sleep 600`], {
    cwd: REPO_ROOT, env: { ...process.env, BOUNTYBOT_DEMO_MEAN_SECONDS: '0.05' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const p: CliProcess = { child, stdout: () => out, stderr: () => err, exited };
  procs.push(p);
  return p;
}

function zombie(pid: number): boolean {
  try { return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

function liveWorkers(db: Database.Database): Array<{ worker_id: string; pid: number; controller_id: string; state: string }> {
  const rows = db.prepare(`SELECT worker_id, pid, controller_id, state FROM workers WHERE state <> 'stopped' ORDER BY pid`).all() as
    Array<{ worker_id: string; pid: number; controller_id: string; state: string }>;
  for (const r of rows) workerPids.add(r.pid);
  return rows;
}

describe('SIGKILL the controller and restart it', () => {
  it('recovers cooldown, history, ledger and the pool; adopts the workers; no double spawn; a zombie pid does not block the restart', async () => {
    const { config, db: dbPath } = writeConfig('main');
    const c1 = startUnreapedController(config);
    await waitFor('database created', () => { try { new Database(dbPath, { readonly: true }).close(); return true; } catch { return false; } }, 30_000);
    const db = new Database(dbPath, { readonly: true });
    db.pragma('busy_timeout = 5000');
    try {
      await waitFor('2 ready workers', () => liveWorkers(db).filter((w) => w.state === 'ready').length === 2, 30_000);
      await waitFor('a few decisions and some spend', () =>
        (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n >= 4
        && (db.prepare('SELECT count(*) AS n FROM spend_ledger').get() as { n: number }).n >= 2, 20_000);
      const before = liveWorkers(db);
      const pidsBefore = before.map((w) => w.pid);
      const spendBefore = (db.prepare('SELECT sum(worker_seconds) AS s FROM spend_ledger').get() as { s: number }).s;
      const decisionsBefore = (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
      expect(decisionsBefore).toBeGreaterThanOrEqual(4);

      const c1Pid = (JSON.parse((db.prepare(`SELECT value FROM controller_state WHERE key = 'controller-heartbeat'`).get() as { value: string }).value) as { pid: number }).pid;
      process.kill(c1Pid, 'SIGKILL');
      await waitFor('the killed controller is a zombie', () => zombie(c1Pid), 10_000);
      expect(pidAlive(c1Pid)).toBe(true); // its pid still answers: only the lease can tell it is dead
      expect(pidsBefore.every(pidAlive)).toBe(true); // orphaned, still running

      const c2 = startController(config);
      const started = await waitFor('restarted controller', () => logLines(c2).find((l) => l.msg === 'controller started'), 30_000);
      expect(started).toMatchObject({ adopted: 2, restoredPolicyState: true });
      const firstDecision = await waitFor('first decision after restart', () => logLines(c2).find((l) => l.msg === 'decision'), 20_000);
      expect((firstDecision.reasoning as string[])[0]).toMatch(/cooldown/i); // the scale-up before the crash still cools down
      expect(logLines(c2).some((l) => l.msg === 'accrued spend for workers that ran while the controller was down')).toBe(true);
      await waitFor('a few more ticks', () => logLines(c2).filter((l) => l.msg === 'decision').length >= 4, 20_000);

      const after = liveWorkers(db);
      expect(after.map((w) => w.pid)).toEqual(pidsBefore); // the same processes, nothing spawned twice
      expect((db.prepare('SELECT count(*) AS n FROM workers').get() as { n: number }).n).toBe(2);
      expect(new Set(after.map((w) => w.controller_id)).size).toBe(1);
      expect(after[0]?.controller_id).toBe(started.instanceId);
      const spendAfter = (db.prepare('SELECT sum(worker_seconds) AS s FROM spend_ledger').get() as { s: number }).s;
      expect(spendAfter).toBeGreaterThan(spendBefore);
      expect((db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n).toBeGreaterThan(decisionsBefore);

      // While it runs, a second controller on the same database is refused.
      const intruder = startController(config);
      expect((await intruder.exited).code).toBe(2);
      expect(intruder.stderr()).toMatch(/another controller \(.+\/pid \d+\/.+\) is running on this database and renewing its lease/);
      expect(liveWorkers(db).map((w) => w.pid)).toEqual(pidsBefore);

      c1.child.kill('SIGKILL'); // the parent that never reaped: the zombie goes with it
      c2.child.kill('SIGTERM');
      expect((await c2.exited).code).toBe(0);
      await waitFor('workers stopped', () => pidsBefore.every((p) => !pidAlive(p)), 20_000);
      expect(liveWorkers(db)).toEqual([]);
    } finally {
      db.close();
    }
  }, 120_000);

  it('orphaned workers stop by themselves when no controller comes back', async () => {
    const { config, db: dbPath } = writeConfig('orphans');
    const c = startController(config, 2);
    await waitFor('database created', () => { try { new Database(dbPath, { readonly: true }).close(); return true; } catch { return false; } }, 30_000);
    const db = new Database(dbPath, { readonly: true });
    db.pragma('busy_timeout = 5000');
    try {
      await waitFor('2 ready workers', () => liveWorkers(db).filter((w) => w.state === 'ready').length === 2, 30_000);
      const pids = liveWorkers(db).map((w) => w.pid);
      process.kill(c.child.pid as number, 'SIGKILL');
      await c.exited;
      await waitFor('orphans exited', () => pids.every((p) => !pidAlive(p)), 20_000);
      expect(liveWorkers(db)).toEqual([]);
    } finally {
      db.close();
    }
  }, 90_000);
});
