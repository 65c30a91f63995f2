import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { completionsByJob, killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';

let dir: string;
let dbPath: string;
let recordFile: string;
const procs: CliProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-wkill-'));
  dbPath = join(dir, 'q.db');
  recordFile = join(dir, 'record.txt');
});
afterAll(() => {
  killAll(procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined && pidAlive(p)));
  rmSync(dir, { recursive: true, force: true });
});

function startWorker(): CliProcess {
  const p = spawnCli(['worker', '--db', dbPath, '--handler', './test/fixtures/recording-handler.ts',
    '--lease-seconds', '1.5', '--heartbeat-seconds', '0.3', '--poll-ms', '20', '--drain-timeout-seconds', '5'],
  { BOUNTYBOT_LOG_LEVEL: 'debug', BB_RECORD_FILE: recordFile });
  procs.push(p);
  return p;
}

function records(): Array<{ job: number; pid: number; what: string }> {
  if (!existsSync(recordFile)) return [];
  return readFileSync(recordFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => {
    const [job, pid, what] = l.split(' ');
    return { job: Number(job), pid: Number(pid), what: what as string };
  });
}

describe('SIGKILL a worker mid-job', () => {
  it('the job is re-run after its lease expires: never lost, completed exactly once', async () => {
    const store = SqliteStore.open({ path: dbPath });
    const jobs = 40;
    await store.queue.enqueue({ firstAttemptSleepMs: 600_000, sleepMs: 50 }); // job 1: hangs on its first attempt
    await store.queue.enqueueBatch(Array.from({ length: jobs - 1 }, () => ({ sleepMs: 100 })));
    store.close();

    const victim = startWorker();
    const victimPid = victim.child.pid as number;
    await waitFor('the victim to start job 1', () => records().some((r) => r.job === 1 && r.pid === victimPid && r.what === 'start'), 30_000);
    process.kill(victimPid, 'SIGKILL');
    await victim.exited;

    const others = [startWorker(), startWorker()];
    const db = new Database(dbPath, { readonly: true });
    try {
      const count = (status: string): number =>
        (db.prepare('SELECT count(*) AS n FROM jobs WHERE status = ?').get(status) as { n: number }).n;
      await waitFor('every job completed', () => count('completed') === jobs, 45_000, 100);

      const job1 = db.prepare('SELECT status, attempts FROM jobs WHERE id = 1').get() as { status: string; attempts: number };
      expect(job1).toEqual({ status: 'completed', attempts: 2 });
      const r1 = records().filter((r) => r.job === 1);
      expect(r1.filter((r) => r.what === 'start').map((r) => r.pid)).toContain(victimPid);
      expect(r1.filter((r) => r.what === 'start')).toHaveLength(2);
      expect(r1.filter((r) => r.what === 'end').map((r) => r.pid)).not.toContain(victimPid);

      // Nothing lost: every enqueued id is there and completed; nothing else is pending.
      const ids = (db.prepare('SELECT id FROM jobs ORDER BY id').all() as Array<{ id: number }>).map((r) => r.id);
      expect(ids).toEqual(Array.from({ length: jobs }, (_, i) => i + 1));
      expect([count('waiting'), count('leased'), count('dead')]).toEqual([0, 0, 0]);
    } finally {
      db.close();
    }

    for (const w of others) w.child.kill('SIGTERM');
    const exits = await Promise.all(others.map((w) => w.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);

    // Never completed twice: across every worker's log, each job has exactly one successful completion.
    const byJob = completionsByJob([victim, ...others].map((w) => w.stdout()).join('\n'));
    expect(byJob.size).toBe(jobs);
    expect([...byJob.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);
});
