/**
 * Sustained load through Redis: 10,000 jobs/min for 3 minutes of trace time (replayed 6x faster,
 * as the SQLite sustained test does, to keep CI lean) with 4 BullMQ worker processes: 0 lost,
 * 0 completed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openValidationQueue } from '../src/queue/index.js';
import { completionsByJob, killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';
import { suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

const PER_MINUTE = 10_000;
const TRACE_MINUTES = 3;
const SPEED = 6;
const WORKERS = 4;

let redis: TestRedis;
let dir: string;
const procs: CliProcess[] = [];
beforeAll(async () => { redis = await suiteRedis(); dir = mkdtempSync(join(tmpdir(), 'bb-rsustained-')); });
afterAll(async () => {
  killAll(procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined && pidAlive(p)));
  rmSync(dir, { recursive: true, force: true });
  await redis.close();
});

describe('sustained load through Redis', () => {
  it(`${PER_MINUTE} jobs/min for ${TRACE_MINUTES} min (at ${SPEED}x) with ${WORKERS} worker processes: 0 lost, 0 completed twice`, async () => {
    const url = `${redis.url}?name=${uniqueQueueName('sus')}`;
    const trace = join(dir, 'trace.csv');
    writeFileSync(trace, ['timestamp,count', ...Array.from({ length: TRACE_MINUTES }, (_, m) =>
      `2025-01-06T09:${String(m).padStart(2, '0')}:00Z,${PER_MINUTE}`)].join('\n'));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['autoscaling:', `  min_workers: ${WORKERS}`, `  max_workers: ${WORKERS}`,
      '  evaluation_interval_seconds: 1', '  metrics_window_minutes: 1', `  database_path: ${JSON.stringify(join(dir, 'c.db'))}`,
      '  http_port: 0', ''].join('\n'));
    const workerLog = join(dir, 'workers.log');
    const controller = spawnCli(['run', '--config', config, '--queue', url, '--worker-concurrency', '4', '--worker-lease-seconds', '10',
      '--worker-log', workerLog], { BOUNTYBOT_DEMO_MEAN_SECONDS: '0.002', BOUNTYBOT_LOG_LEVEL: 'debug' });
    procs.push(controller);
    const q = await openValidationQueue(url);
    try {
      await waitFor(`${WORKERS} ready workers`, () => readFileSync(workerLog, { encoding: 'utf8', flag: 'a+' }).split('"worker ready"').length - 1 >= WORKERS, 30_000, 200);
      const started = Date.now();
      const load = spawnCli(['load', '--trace', trace, '--speed', String(SPEED), '--queue', url, '--quiet']);
      procs.push(load);
      expect((await load.exited).code).toBe(0);
      const total = PER_MINUTE * TRACE_MINUTES;
      await waitFor('all jobs completed', async () => (await q.stats()).completed === total, 45_000, 250);
      const seconds = (Date.now() - started) / 1000;
      expect(await q.stats()).toEqual({ enqueued: total, waiting: 0, active: 0, delayed: 0, failed: 0, completed: total, deadLettered: 0, purged: 0 });
      controller.child.kill('SIGTERM');
      expect((await controller.exited).code).toBe(0);
      const byJob = completionsByJob(readFileSync(workerLog, 'utf8'));
      expect(byJob.size).toBe(total);
      expect([...byJob.values()].filter((n) => n > 1)).toHaveLength(0);
      console.log(`redis sustained: ${total} jobs in ${seconds.toFixed(1)} s wall (${Math.round(total / seconds)} jobs/s, offered ${Math.round(PER_MINUTE * SPEED / 60)} jobs/s)`);
    } finally {
      await q.close();
    }
  }, 120_000);
});
