/** `kill -9` of a BullMQ worker process mid-job: BullMQ's stalled-job check re-runs it elsewhere, completed once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openValidationQueue } from '../src/queue/index.js';
import { completionsByJob, killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';
import { suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

let redis: TestRedis;
let dir: string;
const procs: CliProcess[] = [];
beforeAll(async () => { redis = await suiteRedis(); dir = mkdtempSync(join(tmpdir(), 'bb-rwkill-')); });
afterAll(async () => {
  killAll(procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined && pidAlive(p)));
  rmSync(dir, { recursive: true, force: true });
  await redis.close();
});

describe('SIGKILL a BullMQ worker mid-job', () => {
  it('BullMQ\'s stalled-job recovery re-runs the job on another worker: never lost, completed exactly once', async () => {
    const url = `${redis.url}?name=${uniqueQueueName('kill')}`;
    const recordFile = join(dir, 'record.txt');
    const records = (): Array<{ job: string; pid: number; what: string }> => (existsSync(recordFile)
      ? readFileSync(recordFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => {
        const [job, pid, what] = l.split(' ');
        return { job: job as string, pid: Number(pid), what: what as string };
      }) : []);
    const startWorker = (): CliProcess => {
      const p = spawnCli(['worker', '--queue', url, '--handler', './test/fixtures/recording-handler.ts',
        '--lease-seconds', '1.5', '--heartbeat-seconds', '0.3', '--poll-ms', '20', '--drain-timeout-seconds', '5'],
      { BOUNTYBOT_LOG_LEVEL: 'debug', BB_RECORD_FILE: recordFile });
      procs.push(p);
      return p;
    };
    const q = await openValidationQueue(url);
    const jobs = 40;
    const [first] = await q.enqueueBatch([{ payload: { firstAttemptSleepMs: 600_000, sleepMs: 50 } }]);
    await q.enqueueBatch(Array.from({ length: jobs - 1 }, () => ({ payload: { sleepMs: 100 } })));

    const victim = startWorker();
    const victimPid = victim.child.pid as number;
    await waitFor('the victim to start the first job', () => records().some((r) => r.job === first && r.pid === victimPid), 30_000);
    process.kill(victimPid, 'SIGKILL');
    await victim.exited;

    const others = [startWorker(), startWorker()];
    try {
      await waitFor('every job completed', async () => (await q.stats()).completed === jobs, 45_000, 100);
      const r1 = records().filter((r) => r.job === first);
      expect(r1.filter((r) => r.what === 'start').map((r) => r.pid)).toContain(victimPid);
      expect(r1.filter((r) => r.what === 'start')).toHaveLength(2);
      expect(r1.filter((r) => r.what === 'end').map((r) => r.pid)).not.toContain(victimPid);
      expect(await q.stats()).toMatchObject({ enqueued: jobs, completed: jobs, waiting: 0, active: 0, failed: 0, deadLettered: 0 });
    } finally {
      await q.close();
    }
    for (const w of others) w.child.kill('SIGTERM');
    expect((await Promise.all(others.map((w) => w.exited))).map((e) => e.code)).toEqual([0, 0]);
    const byJob = completionsByJob([victim, ...others].map((w) => w.stdout()).join('\n'));
    expect(byJob.size).toBe(jobs);
    expect([...byJob.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);
});
