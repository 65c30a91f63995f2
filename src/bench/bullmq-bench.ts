/**
 * Redis (BullMQ) queue figures: throughput of enqueue (batches of 500, as `bountybot load` and the
 * producer API send them) + lease + complete through the JobQueue port, with several workers, each
 * on its own connection as separate worker processes would be; and the cost of one windowStats
 * read with 100,000 jobs waiting (wall time and Redis commands per read, from INFO commandstats,
 * which counts the commands a Lua script runs), next to the same read on an empty queue.
 * Uses REDIS_URL when set, else a private redis-server on a free port. Target: >= 5,000 jobs/s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BullmqJobQueue } from '../adapters/bullmq-queue.js';
import { bullmqNativeThroughput } from '../adapters/bullmq-reference.js';
import { connectRedis, parseRedisUrl, queueKeyBase, type RedisConnection as Redis, type RedisTarget } from '../adapters/redis-client.js';

const PAYLOAD = { reportId: 'bench', url: 'https://example.test/report', severity: 'high' };

interface BenchRedis { url: string; stop(): void }

async function benchRedis(): Promise<BenchRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => undefined };
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    throw new Error('redis-server is not installed (apt-get install -y redis-server), and REDIS_URL is not set');
  }
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'bb-bench-redis-'));
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const c = await connectRedis(parseRedisUrl(url), { role: 'controller', clientName: 'bountybot:bench' }, 200);
      c.disconnect();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop: () => { child.kill('SIGKILL'); rmSync(dir, { recursive: true, force: true }); } };
}

async function dropQueue(c: Redis, name: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await c.scan(cursor, 'MATCH', `${queueKeyBase(name)}:*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length > 0) await c.unlink(...keys);
  } while (cursor !== '0');
}

interface Throughput { enqueueS: number; processS: number; redisCpuUs: number; clientCpuUs: number }

/** Redis server CPU seconds so far (user + sys), from INFO. */
async function redisCpu(c: Redis): Promise<number> {
  const info = await c.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0) + Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
}

async function throughput(target: RedisTarget, jobs: number, workers: number): Promise<Throughput> {
  const conns: Redis[] = [];
  const open = async (): Promise<BullmqJobQueue> => {
    const connection = await connectRedis(target, { role: 'worker', clientName: 'bountybot:bench' });
    conns.push(connection);
    // As `bountybot worker` opens it: the next job comes with each completion.
    return new BullmqJobQueue({ connection, name: target.name, prefetch: true });
  };
  const producer = await open();
  const consumers = await Promise.all(Array.from({ length: workers }, open));
  try {
    const cpu0 = process.cpuUsage();
    const r0 = await redisCpu(conns[0] as Redis);
    let t = performance.now();
    for (let i = 0; i < jobs; i += 500) await producer.enqueueBatch(Array.from({ length: Math.min(500, jobs - i) }, () => PAYLOAD));
    const enqueueS = (performance.now() - t) / 1000;
    t = performance.now();
    let done = 0;
    await Promise.all(consumers.map(async (q, w) => {
      for (;;) {
        const [job] = await q.lease(`bench-${w}`, 30_000, 1);
        if (!job) return;
        if ((await q.complete(job.id, job.leaseId, { ok: true })) === 'completed') done++;
      }
    }));
    const processS = (performance.now() - t) / 1000;
    if (done !== jobs) throw new Error(`bullmq bench: completed ${done} of ${jobs}`);
    const cpu = process.cpuUsage(cpu0);
    const redisCpuUs = ((await redisCpu(conns[0] as Redis)) - r0) * 1e6 / jobs;
    return { enqueueS, processS, redisCpuUs, clientCpuUs: (cpu.user + cpu.system) / jobs };
  } finally {
    await Promise.all([producer, ...consumers].map((q) => q.close()));
    await dropQueue(conns[0] as Redis, target.name);
    await Promise.all(conns.map((c) => c.quit()));
  }
}

async function commandCalls(c: Redis): Promise<number> {
  const info = await c.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/calls=(\d+)/g)) total += Number(m[1]);
  return total;
}

/** Median wall ms and Redis commands per windowStats read with `waiting` jobs in the queue. */
async function windowRead(target: RedisTarget, waiting: number, reads = 50): Promise<{ ms: number; commands: number }> {
  const connection = await connectRedis(target, { role: 'controller', clientName: 'bountybot:bench', commandTimeoutMs: 30_000 });
  const q = new BullmqJobQueue({ connection, name: target.name });
  try {
    for (let i = 0; i < waiting; i += 1000) await q.enqueueBatch(Array.from({ length: Math.min(1000, waiting - i) }, () => PAYLOAD));
    await q.windowStats(300_000, 60_000);
    const times: number[] = [];
    // INFO itself is a command: measure the empty difference and subtract it.
    const c0 = await commandCalls(connection);
    const c1 = await commandCalls(connection);
    for (let i = 0; i < reads; i++) {
      const t = performance.now();
      await q.windowStats(300_000, 60_000);
      times.push(performance.now() - t);
    }
    const c2 = await commandCalls(connection);
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)] ?? 0, commands: (c2 - c1 - (c1 - c0)) / reads };
  } finally {
    await q.close();
    await dropQueue(connection, target.name);
    await connection.quit();
  }
}

export async function runBullmqBench(jobs = 20_000, workers = 8): Promise<string> {
  const redis = await benchRedis();
  try {
    const target = (name: string): RedisTarget => parseRedisUrl(`${redis.url}${redis.url.includes('?') ? '&' : '?'}name=${name}`);
    const tp = await throughput(target(`bench-tp-${process.pid}`), jobs, workers);
    const native = await bullmqNativeThroughput(target(`bench-native-${process.pid}`), jobs, workers, PAYLOAD);
    const empty = await windowRead(target(`bench-w0-${process.pid}`), 0);
    const full = await windowRead(target(`bench-w1-${process.pid}`), 100_000);
    const rate = (n: number, s: number): string => Math.round(n / s).toLocaleString('en-US');
    return [
      `### Redis (BullMQ) job queue (${jobs.toLocaleString('en-US')} jobs, ${workers} workers on their own connections, one process, local redis-server)`,
      '',
      '| phase | jobs/s |',
      '|---|---:|',
      `| enqueue (batches of 500) | ${rate(jobs, tp.enqueueS)} |`,
      `| lease (1/lease) + complete | ${rate(jobs, tp.processS)} |`,
      `| enqueue + lease + complete | ${rate(jobs, tp.enqueueS + tp.processS)} |`,
      `| reference: BullMQ's own Worker (processor), same jobs and workers: enqueue + complete | ${rate(jobs, native.enqueueS + native.processS)} |`,
      '',
      `CPU per job (enqueue + lease + complete): Redis server ${Math.round(tp.redisCpuUs)} µs, this Node process ${Math.round(tp.clientCpuUs)} µs. `
        + 'With Redis and the workers each on a free core the rate is bounded by the larger of the two.',
      '',
      'Target: >= 5,000 jobs/s enqueue + lease + complete.',
      '',
      '| windowStats read (5-min window, 1-min rates) | median ms | Redis commands per read |',
      '|---|---:|---:|',
      `| 0 jobs waiting | ${empty.ms.toFixed(2)} | ${Math.round(empty.commands)} |`,
      `| 100,000 jobs waiting | ${full.ms.toFixed(2)} | ${Math.round(full.commands)} |`,
      '',
      'One Lua script per read; its work does not grow with the backlog (bucketed counters, the head of the wait list, a capped reservoir for p95).',
    ].join('\n');
  } finally {
    redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runBullmqBench().then((s) => process.stdout.write(`${s}\n`), (err: unknown) => { console.error(err); process.exitCode = 1; });
}
