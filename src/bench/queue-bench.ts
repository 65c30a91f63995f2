/**
 * SQLite job-queue throughput: enqueue (batched, as `bountybot load` does) + lease + complete,
 * one job per lease as a worker with concurrency 1 does, and with batched leases. Target:
 * >= 2,000 jobs/s enqueue + complete. File-backed WAL database in a temp dir, as in production.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteStore } from '../adapters/sqlite-store.js';

interface Phase { name: string; jobs: number; seconds: number }

async function measure(jobs: number, leaseBatch: number): Promise<Phase[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bb-queue-bench-'));
  const store = SqliteStore.open({ path: join(dir, 'bench.db') });
  try {
    const q = store.queue;
    const payload = { reportId: 'bench', url: 'https://example.test/report', severity: 'high' };
    let t = performance.now();
    for (let i = 0; i < jobs; i += 500) {
      await q.enqueueBatch(Array.from({ length: Math.min(500, jobs - i) }, () => payload));
    }
    const enqueueS = (performance.now() - t) / 1000;
    t = performance.now();
    let done = 0;
    for (;;) {
      const leased = await q.lease('bench-worker', 30_000, leaseBatch);
      if (leased.length === 0) break;
      for (const job of leased) {
        if ((await q.complete(job.id, job.leaseId, { ok: true })) === 'completed') done++;
      }
    }
    const processS = (performance.now() - t) / 1000;
    if (done !== jobs) throw new Error(`queue bench: completed ${done} of ${jobs}`);
    return [
      { name: 'enqueue (batches of 500)', jobs, seconds: enqueueS },
      { name: `lease (${leaseBatch}/lease) + complete`, jobs, seconds: processS },
      { name: 'enqueue + lease + complete', jobs, seconds: enqueueS + processS },
    ];
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runQueueBench(jobs = 20_000): Promise<string> {
  const rows = [...await measure(jobs, 1), ...(await measure(jobs, 10)).slice(1)];
  const lines = [
    `### SQLite job queue (${jobs.toLocaleString('en-US')} jobs, WAL, synchronous=NORMAL, one process)`,
    '',
    '| phase | jobs/s |',
    '|---|---:|',
    ...rows.map((r) => `| ${r.name} | ${Math.round(r.jobs / r.seconds).toLocaleString('en-US')} |`),
    '',
    'Target: >= 2,000 jobs/s enqueue + lease + complete (one job per lease, as a worker leases).',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runQueueBench().then((s) => process.stdout.write(`${s}\n`), (err: unknown) => { console.error(err); process.exitCode = 1; });
}
