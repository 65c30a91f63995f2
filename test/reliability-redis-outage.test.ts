/**
 * Redis stopped for 20 s in the middle of a run and restarted on the same port (its own
 * redis-server, never the shared one): the controller falls back (holds the fleet, says so in
 * /api/status and /metrics) and recovers by itself; the workers and the load reconnect; 0 jobs lost,
 * none completed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeStatus } from '../src/control/runtime-api.js';
import { openValidationQueue } from '../src/queue/index.js';
import { endingsByJob, killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';
import { freePort, RedisServer } from './helpers/redis.js';

const OUTAGE_MS = 20_000;
let dir: string;
let server: RedisServer;
const procs: CliProcess[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-outage-'));
  server = await RedisServer.start({ persistent: true });
});
afterAll(async () => {
  killAll(procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined && pidAlive(p)));
  await server.stop();
  if (process.env.BB_KEEP) process.stderr.write(`kept ${dir}\n`); else rmSync(dir, { recursive: true, force: true });
});

describe('Redis outage mid-run', () => {
  it('falls back while Redis is down, recovers when it is back; 0 lost, 0 completed twice', async () => {
    const url = `${server.url}?name=outage`;
    const port = await freePort();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, ['autoscaling:', '  min_workers: 2', '  max_workers: 4', '  evaluation_interval_seconds: 1',
      '  metrics_window_minutes: 1', '  cooldown_minutes: 0.05', `  database_path: ${JSON.stringify(join(dir, 'c.db'))}`, ''].join('\n'));
    const trace = join(dir, 'trace.csv');
    writeFileSync(trace, ['timestamp,count', ...Array.from({ length: 6 }, (_, m) => `2025-01-06T09:0${m}:00Z,100`)].join('\n'));
    const workerLog = join(dir, 'workers.log');
    const controller = spawnCli(['run', '--config', config, '--queue', url, '--port', String(port), '--fallback-after-ticks', '2',
      '--worker-lease-seconds', '5', '--worker-log', workerLog], { BOUNTYBOT_DEMO_MEAN_SECONDS: '0.02', BOUNTYBOT_LOG_LEVEL: 'debug' });
    procs.push(controller);
    controller.exited.then((e) => {
      if (e.code !== 0) process.stderr.write(`controller exited ${String(e.code)}: ${controller.stderr().slice(-3000)}\n`);
    }, () => undefined);
    const status = async (): Promise<RuntimeStatus> => (await fetch(`http://127.0.0.1:${port}/api/status`)).json() as Promise<RuntimeStatus>;
    await waitFor('two ready workers', async () => (await status()).fleet.ready === 2, 30_000, 200);

    // 6 trace minutes at 12x: 30 s of arrivals; Redis goes away 5 s in.
    const load = spawnCli(['load', '--trace', trace, '--speed', '12', '--queue', url, '--quiet']);
    procs.push(load);
    // Redis goes away once the replay is under way.
    const probe = await openValidationQueue(url);
    await waitFor('the load under way', async () => (await probe.stats()).enqueued >= 50, 30_000, 100);
    await probe.close();
    await server.stopProcess();
    const down = Date.now();
    const during = await waitFor('fallback active', async () => {
      const s = await status();
      return s.fallback?.active ? s : undefined;
    }, 10_000, 200);
    expect(during.backendError).toBeDefined();
    expect(during.fallback?.targetWorkers).toBeGreaterThanOrEqual(2);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^bountybot_autoscaling_fallback_active 1$/m);
    const heldFleet = during.fleet.provisioned;
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - down))));
    expect((await status()).fleet.provisioned, 'never scaled down on missing data').toBeGreaterThanOrEqual(heldFleet);
    await server.startProcess();

    await waitFor('fallback over', async () => (await status()).fallback?.active === false, 20_000, 200);
    console.log(`outage: Redis down ${Math.round((Date.now() - down) / 1000)} s until the fallback ended`);
    expect((await load.exited).code).toBe(0);
    const q = await openValidationQueue(url);
    try {
      const t0 = Date.now();
      await waitFor('all 600 completed', async () => (await q.stats()).completed === 600, 60_000, 250).catch(async (err: unknown) => {
        process.stderr.write(`stats ${JSON.stringify(await q.stats())}\nstatus ${JSON.stringify((await status()).fleet)}\n`
          + `workers: ${readFileSync(workerLog, 'utf8').split('\n').filter((l) => /"level":(40|50|60)/.test(l)).slice(-15).join('\n')}\n`);
        throw err;
      });
      console.log(`outage: backlog cleared ${Math.round((Date.now() - t0) / 1000)} s after the load ended`);
      expect(await q.stats()).toMatchObject({ enqueued: 600, completed: 600, waiting: 0, active: 0, failed: 0, deadLettered: 0 });
    } finally {
      await q.close();
    }
    controller.child.kill('SIGTERM');
    expect((await controller.exited).code).toBe(0);
    const log = controller.stdout();
    expect(log).toMatch(/"reasoning":\["fallback: metrics source failed 2 consecutive reads/);
    expect(log).toMatch(/"reasoning":\["fallback over: metrics source readable again/);
    // Each job completed by a worker at most once; every job's completion was seen by a worker.
    const byJob = endingsByJob(readFileSync(workerLog, 'utf8'));
    expect([...byJob.values()].filter((e) => e.completed > 1)).toEqual([]);
    expect([...byJob.values()].filter((e) => e.completed + e.duplicate > 0).length).toBe(600);
  }, 150_000);
});
