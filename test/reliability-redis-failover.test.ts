/**
 * End to end on one machine through Redis: two `bountybot run` replicas on one queue (one acts,
 * one stands by), process-pool workers running BullMQ, `bountybot load --scenario campaign-spike`.
 * The fleet scales out for the spike; the leader is killed with -9 at its peak; the standby takes
 * over within 2 x TTL, adopts the workers and scales back. Every scale call that passed the fence
 * is in the fence log: tokens only grow, so two leaders never acted in the same period. 0 jobs
 * lost, 0 completed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis } from '../src/adapters/redis-client.js';
import { DEMO_CONFIG } from '../src/cli/start.js';
import { RedisLeaderElector } from '../src/adapters/redis-leader.js';
import type { RuntimeStatus } from '../src/control/runtime-api.js';
import { openValidationQueue } from '../src/queue/index.js';
import { completionsByJob, killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';
import { freePort, suiteRedis, uniqueQueueName, type TestRedis } from './helpers/redis.js';

const TTL_SECONDS = 3;
/** `bountybot start`'s engine settings (seconds rather than minutes), a little faster still, so the story takes a minute. */
const OVERRIDES: Record<string, string> = {
  max_workers: '6', default_service_seconds: '0.5', scale_down_stabilization_seconds: '5',
  metrics_window_minutes: '0.5', evaluation_interval_seconds: '1',
};
const CONFIG = (db: string): string => `${DEMO_CONFIG.replace(/^ {2}(\w+): .*$/gm, (line, key: string) => (OVERRIDES[key] !== undefined ? `  ${key}: ${OVERRIDES[key]}` : line))
}  database_path: ${JSON.stringify(db)}\n`;

let redis: TestRedis;
let dir: string;
const procs: CliProcess[] = [];
beforeAll(async () => { redis = await suiteRedis(); dir = mkdtempSync(join(tmpdir(), 'bb-failover-')); });
afterAll(async () => {
  const workerPids = readFileSync(join(dir, 'workers.log'), { encoding: 'utf8', flag: 'a+' }).split('\n')
    .filter((l) => l.includes('"worker ready"')).map((l) => (JSON.parse(l) as { pid: number }).pid);
  killAll([...procs.map((p) => p.child.pid), ...workerPids].filter((p): p is number => p !== undefined && pidAlive(p)));
  rmSync(dir, { recursive: true, force: true });
  await redis.close();
});

describe('two controllers on one Redis queue, campaign spike, leader killed', () => {
  it('scales out and back across a fail-over; one leader at a time; 0 lost, 0 completed twice', async () => {
    const name = uniqueQueueName('fo');
    const url = `${redis.url}?name=${name}`;
    const config = join(dir, 'config.yaml');
    writeFileSync(config, CONFIG(join(dir, 'c.db')));
    const workerLog = join(dir, 'workers.log');
    const ports = [await freePort(), await freePort()];
    const start = (port: number): CliProcess => {
      const p = spawnCli(['run', '--config', config, '--queue', url, '--port', String(port), '--controller-lease-seconds', String(TTL_SECONDS),
        '--worker-lease-seconds', '4', '--worker-log', workerLog], { BOUNTYBOT_DEMO_MEAN_SECONDS: '0.5', BOUNTYBOT_DEMO_CV: '0', BOUNTYBOT_LOG_LEVEL: 'debug' }, { detached: true });
      procs.push(p);
      return p;
    };
    const get = async <T>(port: number, path: string): Promise<{ status: number; body: T }> => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: r.status, body: await r.json() as T };
    };
    const [a, b] = [start(ports[0] as number), undefined as CliProcess | undefined];
    await waitFor('A leads', async () => (await get<{ role?: string }>(ports[0] as number, '/readyz')).body.role === 'leader', 30_000, 200);
    const standby = b ?? start(ports[1] as number);
    const ready = await waitFor('B stands by', async () => {
      const r = await get<{ ready: boolean; role?: string; leader?: string }>(ports[1] as number, '/readyz');
      return r.body.role === 'standby' && r.body.leader !== undefined ? r : undefined;
    }, 30_000, 200);
    expect(ready.status).toBe(503);
    expect(ready.body.leader).toMatch(new RegExp(`pid ${a.child.pid}/`));
    const refused = await fetch(`http://127.0.0.1:${ports[1]}/api/pause`, { method: 'POST' });
    expect([401, 403, 409]).toContain(refused.status);

    // 100 reports at once on top of 3/min: minutes 55-70 of the scenario, 60x faster.
    const load = spawnCli(['load', '--scenario', 'campaign-spike', '--start-minute', '55', '--minutes', '15', '--speed', '60', '--queue', url, '--quiet']);
    procs.push(load);
    const peak = await waitFor('A scaled out for the spike', async () => {
      const s = (await get<RuntimeStatus>(ports[0] as number, '/api/status')).body;
      return s.fleet.provisioned >= 3 ? s.fleet.provisioned : undefined;
    }, 30_000, 200);
    expect(peak).toBeGreaterThanOrEqual(3);

    process.kill(a.child.pid as number, 'SIGKILL');
    const killed = Date.now();
    await waitFor('B leads', async () => (await get<{ role?: string }>(ports[1] as number, '/readyz')).body.role === 'leader', 4 * TTL_SECONDS * 1000, 100);
    const tookMs = Date.now() - killed;
    console.log(`failover: standby led ${tookMs} ms after the leader was killed (TTL ${TTL_SECONDS} s)`);
    expect(tookMs).toBeLessThanOrEqual(2 * TTL_SECONDS * 1000);
    const adopted = (await get<RuntimeStatus>(ports[1] as number, '/api/status')).body;
    expect(adopted.fleet.provisioned, 'the workers of the dead leader were adopted, not restarted').toBeGreaterThanOrEqual(1);

    expect((await load.exited).code).toBe(0);
    const q = await openValidationQueue(url);
    try {
      await waitFor('every job completed', async () => (await q.stats()).completed === 145, 60_000, 250);
      expect(await q.stats()).toMatchObject({ enqueued: 145, completed: 145, waiting: 0, active: 0, failed: 0, deadLettered: 0 });
    } finally {
      await q.close();
    }
    // Back in: the engine steps down once the backlog is gone (how far is its call; below the peak is the point).
    await waitFor('B scaled back in', async () => (await get<RuntimeStatus>(ports[1] as number, '/api/status')).body.fleet.provisioned <= 2, 45_000, 500);
    expect(standby.stdout()).toMatch(/"decision":"scale_down"/);

    // The fence log: every scale call that passed, in order. Tokens never go back; A's stop before B's begin.
    const conn = await connectRedis(redis.target(name), { role: 'controller', clientName: 'bountybot:test' });
    const log = await new RedisLeaderElector({ connection: conn, name, identity: 'auditor' }).fenceLog();
    await conn.quit();
    const tokens = log.map((e) => e.token);
    expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
    expect(new Set(log.map((e) => `${e.token} ${e.identity}`)).size).toBe(new Set(tokens).size);
    expect(new Set(tokens).size).toBe(2);
    expect(log.filter((e) => e.identity.includes(`pid ${a.child.pid}/`)).length).toBeGreaterThan(0);
    expect(log.filter((e) => e.identity.includes(`pid ${standby.child.pid}/`)).length).toBeGreaterThan(0);

    standby.child.kill('SIGTERM');
    expect((await standby.exited).code).toBe(0);
    const byJob = completionsByJob(readFileSync(workerLog, 'utf8'));
    expect(byJob.size).toBe(145);
    expect([...byJob.values()].filter((n) => n > 1)).toEqual([]);
  }, 150_000);
});
