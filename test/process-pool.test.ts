import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessPool, isLiveWorker } from '../src/adapters/process-pool.js';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { CONTROLLER_HEARTBEAT_KEY } from '../src/control/ports.js';
import { CLI_NODE_ARGS, REPO_ROOT, killAll, pidAlive, waitFor } from './helpers/runtime-helpers.js';

let dir: string;
let dbPath: string;
let store: SqliteStore;
let beat: NodeJS.Timeout;
const spawned = new Set<number>();
const pools: ProcessPool[] = [];

function makePool(controllerId: string, extra: Partial<ConstructorParameters<typeof ProcessPool>[0]> = {}): ProcessPool {
  const pool = new ProcessPool({
    registry: store, controllerId, cwd: REPO_ROOT,
    command: process.execPath,
    args: [...CLI_NODE_ARGS, 'worker', '--db', dbPath, '--poll-ms', '20', '--heartbeat-seconds', '0.2',
      '--lease-seconds', '2', '--drain-timeout-seconds', '5', '--orphan-timeout-seconds', '30'],
    env: { ...process.env, BOUNTYBOT_DEMO_MEAN_SECONDS: '0.01' },
    output: join(dir, 'workers.log'), maxWorkers: 5, refreshMs: 100, stopTimeoutMs: 10_000,
    ...extra,
  });
  pools.push(pool);
  return pool;
}

async function fleetIs(pool: ProcessPool, provisioned: number, ready: number, draining: number): Promise<boolean> {
  const f = await pool.fleet();
  for (const w of pool.list()) spawned.add(w.pid);
  return f.provisioned === provisioned && f.ready === ready && f.draining === draining;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bb-pool-'));
  dbPath = join(dir, 'pool.db');
  store = SqliteStore.open({ path: dbPath });
  const heartbeat = () => store.saveState(CONTROLLER_HEARTBEAT_KEY, JSON.stringify({ instanceId: 'test', pid: process.pid, at: Date.now() }));
  await heartbeat();
  beat = setInterval(() => { void heartbeat(); }, 500);
});

afterAll(async () => {
  clearInterval(beat);
  for (const p of pools) p.close();
  for (const w of await store.listWorkers(['starting', 'ready', 'draining'])) spawned.add(w.pid);
  killAll([...spawned].filter(pidAlive));
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('process pool (real worker processes)', () => {
  it('scales up, reports readiness from the registry, processes jobs, scales down by draining', async () => {
    const pool = makePool('ctl-a');
    expect(await pool.start()).toEqual({ adopted: [], gone: [] });
    expect(await pool.scaleTo(3, ['test'])).toMatchObject({ provisioned: 3, draining: 0 });
    await waitFor('3 ready workers', () => fleetIs(pool, 3, 3, 0), 30_000);
    const pids = pool.list().map((w) => w.pid);
    expect(new Set(pids).size).toBe(3);
    for (const w of pool.list()) expect(isLiveWorker(w.pid, w.workerId)).toBe(true);

    await store.queue.enqueueBatch(Array.from({ length: 30 }, (_, i) => i));
    await waitFor('jobs done', async () => (await store.queue.counts()).completed === 30);

    await pool.scaleTo(1, ['test']);
    await waitFor('drained to 1', () => fleetIs(pool, 1, 1, 0), 20_000);
    const stopped = pids.filter((p) => !pidAlive(p));
    expect(stopped).toHaveLength(2);
    expect(readFileSync(join(dir, 'workers.log'), 'utf8')).toContain('received SIGTERM');
    await pool.stopAll();
    expect(await pool.fleet()).toEqual({ provisioned: 0, ready: 0, draining: 0 });
    pool.close();
  });

  it('replaces a crashed worker', async () => {
    const pool = makePool('ctl-b');
    await pool.start();
    await pool.scaleTo(1, ['test']);
    await waitFor('1 ready', () => fleetIs(pool, 1, 1, 0), 30_000);
    const [first] = pool.list();
    process.kill(first!.pid, 'SIGKILL');
    await waitFor('a different worker ready', async () => (await fleetIs(pool, 1, 1, 0)) && pool.list()[0]?.pid !== first!.pid, 30_000);
    expect((await store.getWorker(first!.workerId))?.state).toBe('stopped');
    await pool.stopAll();
    pool.close();
  });

  it('a new controller adopts live workers instead of spawning more, and stops them', async () => {
    const a = makePool('ctl-old');
    await a.start();
    await a.scaleTo(2, ['test']);
    await waitFor('2 ready', () => fleetIs(a, 2, 2, 0), 30_000);
    const pids = a.list().map((w) => w.pid).sort();
    a.close(); // the old controller goes away, leaving its workers running

    const b = makePool('ctl-new');
    const report = await b.start();
    expect(report.adopted).toHaveLength(2);
    expect(await b.fleet()).toEqual({ provisioned: 2, ready: 2, draining: 0 });
    expect(b.list().map((w) => w.pid).sort()).toEqual(pids);
    expect((await store.listWorkers(['ready'])).every((w) => w.controllerId === 'ctl-new')).toBe(true);

    // An adopted worker that dies is noticed and replaced.
    process.kill(pids[0]!, 'SIGKILL');
    await waitFor('replacement ready', async () => (await fleetIs(b, 2, 2, 0)) && !b.list().some((w) => w.pid === pids[0]), 30_000);

    await b.scaleTo(0, ['test']);
    await waitFor('all stopped', () => fleetIs(b, 0, 0, 0), 20_000);
    await waitFor('processes gone', () => pids.every((p) => !pidAlive(p)), 10_000);
    b.close();
  });

  it('kills and replaces a worker that never becomes ready; backs off when crashing in a loop', async () => {
    const pool = makePool('ctl-c', {
      command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], startTimeoutMs: 300,
    });
    await pool.start();
    await pool.scaleTo(1, ['test']);
    const first = pool.list()[0]!.pid;
    spawned.add(first);
    await waitFor('first killed', () => !pidAlive(first), 10_000);
    await waitFor('replaced', async () => { await pool.fleet(); return pool.list().some((w) => w.pid !== first); }, 10_000);
    pool.list().forEach((w) => spawned.add(w.pid));
    await pool.stopAll(2_000);
    pool.close();
  });

  it('survives a worker command that cannot start', async () => {
    const pool = makePool('ctl-d', { command: join(dir, 'no-such-binary'), args: [] });
    await pool.start();
    const f = await pool.scaleTo(1, ['test']);
    expect(f.provisioned).toBeLessThanOrEqual(1);
    await pool.stopAll(1_000);
    expect(await pool.fleet()).toEqual({ provisioned: 0, ready: 0, draining: 0 });
    pool.close();
  });
});
