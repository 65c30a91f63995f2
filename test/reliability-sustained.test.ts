import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completionsByJob, killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';

/** 10,000 jobs/min for TRACE_MINUTES minutes of trace time, replayed SPEED× faster. */
const PER_MINUTE = 10_000;
const TRACE_MINUTES = 3;
const SPEED = 6;
const WORKERS = 4;

let dir: string;
const procs: CliProcess[] = [];
const workerPids = new Set<number>();

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'bb-sustained-')); });
afterAll(() => {
  killAll([...procs.map((p) => p.child.pid), ...workerPids].filter((p): p is number => p !== undefined && pidAlive(p)));
  rmSync(dir, { recursive: true, force: true });
});

describe('sustained load', () => {
  it(`${PER_MINUTE} jobs/min for ${TRACE_MINUTES} min (at ${SPEED}x): 0 lost, 0 completed twice`, async () => {
    const dbPath = join(dir, 'load.db');
    const trace = join(dir, 'trace.csv');
    writeFileSync(trace, ['timestamp,count', ...Array.from({ length: TRACE_MINUTES }, (_, m) =>
      `2025-01-06T09:${String(m).padStart(2, '0')}:00Z,${PER_MINUTE}`)].join('\n'));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['autoscaling:', `  min_workers: ${WORKERS}`, `  max_workers: ${WORKERS}`,
      '  evaluation_interval_seconds: 1', '  metrics_window_minutes: 1', `  database_path: ${JSON.stringify(dbPath)}`,
      '  http_port: 0', ''].join('\n'));
    const workerLog = join(dir, 'workers.log');

    const controller = spawnCli(['run', '--config', config, '--worker-concurrency', '4', '--worker-lease-seconds', '10',
      '--worker-log', workerLog], { BOUNTYBOT_DEMO_MEAN_SECONDS: '0.002', BOUNTYBOT_LOG_LEVEL: 'debug' });
    procs.push(controller);
    await waitFor('controller up', () => controller.stdout().includes('"controller started"'), 30_000);
    const db = new Database(dbPath, { readonly: true });
    db.pragma('busy_timeout = 5000');
    const one = <T>(sql: string): T => db.prepare(sql).get() as T;
    try {
      await waitFor(`${WORKERS} ready workers`, () => {
        const rows = db.prepare(`SELECT pid FROM workers WHERE state = 'ready'`).all() as Array<{ pid: number }>;
        rows.forEach((r) => workerPids.add(r.pid));
        return rows.length === WORKERS;
      }, 30_000);

      const started = Date.now();
      const load = spawnCli(['load', '--trace', trace, '--speed', String(SPEED), '--db', dbPath, '--quiet']);
      procs.push(load);
      expect((await load.exited).code).toBe(0);
      const total = PER_MINUTE * TRACE_MINUTES;
      await waitFor('all jobs completed', () => one<{ n: number }>(`SELECT count(*) AS n FROM jobs WHERE status = 'completed'`).n === total, 45_000, 200);
      const seconds = (Date.now() - started) / 1000;

      const ids = one<{ n: number; lo: number; hi: number }>('SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM jobs');
      expect(ids).toEqual({ n: total, lo: 1, hi: total }); // every enqueued job exists: none lost
      expect(one<{ n: number }>(`SELECT count(*) AS n FROM jobs WHERE status <> 'completed'`).n).toBe(0);

      controller.child.kill('SIGTERM');
      expect((await controller.exited).code).toBe(0);

      const byJob = completionsByJob(readFileSync(workerLog, 'utf8'));
      expect(byJob.size).toBe(total);
      const twice = [...byJob.values()].filter((n) => n > 1).length;
      expect(twice).toBe(0);
      const lat = one<{ p: number }>(`SELECT avg(ended_at - enqueued_at) AS p FROM jobs`).p;
      console.log(`sustained: ${total} jobs in ${seconds.toFixed(1)} s wall (${Math.round(total / seconds)} jobs/s, offered ${Math.round(PER_MINUTE * SPEED / 60)} jobs/s), mean time in system ${Math.round(lat)} ms`);
    } finally {
      db.close();
    }
  }, 120_000);
});
