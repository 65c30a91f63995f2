import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { Worker } from '../src/worker/worker.js';
import { CONTROLLER_HEARTBEAT_KEY, silentLogger } from '../src/control/ports.js';
import type { ValidationHandler } from '../src/worker/handler.js';
import { loadHandler, HandlerLoadError, resolveHandlerSpec } from '../src/worker/handler.js';
import { sampleLognormalSeconds } from '../src/worker/demo-handler.js';
import { waitFor } from './helpers/runtime-helpers.js';
import { PermanentJobError } from '../src/autoscaling/errors.js';

const quiet = silentLogger;

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bb-worker-'));
  store = SqliteStore.open({ path: join(dir, 'q.db'), retry: { maxAttempts: 3, backoffBaseMs: 10 } });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function makeWorker(handler: ValidationHandler, extra: Partial<ConstructorParameters<typeof Worker>[0]> = {}): Worker {
  return new Worker({
    workerId: 'w-test', queue: store.queue, registry: store, state: store, handler, logger: quiet,
    leaseMs: 2_000, heartbeatMs: 50, pollMs: 10, drainTimeoutMs: 5_000, ...extra,
  });
}

describe('worker loop', () => {
  it('runs every job once with concurrency and stops cleanly on drain', async () => {
    const ran: string[] = [];
    const worker = makeWorker({ async validate(job) { ran.push(job.id); await new Promise((r) => setTimeout(r, 2)); return { ok: job.payload }; } }, { concurrency: 4 });
    const ids = await store.queue.enqueueBatch(Array.from({ length: 60 }, (_, i) => i));
    const running = worker.run();
    await waitFor('all jobs completed', async () => (await store.queue.counts()).completed === 60);
    worker.drain('test done');
    expect(await running).toBe(0);
    expect([...ran].sort((a, b) => Number(a) - Number(b))).toEqual(ids);
    expect(worker.completedJobs).toBe(60);
    expect((await store.getWorker('w-test'))?.state).toBe('stopped');
  });

  it('fails a throwing job with retries, then dead-letters it', async () => {
    let attempts = 0;
    const worker = makeWorker({ async validate() { attempts++; throw new Error('provider down'); } });
    await store.queue.enqueue({ bad: true });
    const running = worker.run();
    await waitFor('dead-lettered', async () => (await store.queue.counts()).deadLettered === 1);
    worker.drain('done');
    await running;
    expect(attempts).toBe(3);
  });

  const permanent = [
    { name: 'a PermanentJobError', error: () => new PermanentJobError('report has no target URL') },
    // A handler may bundle its own copy of the error class: the code is what counts.
    { name: 'an error with code JOB_PERMANENT_FAILURE', error: () => Object.assign(new Error('unsupported target'), { code: 'JOB_PERMANENT_FAILURE' }) },
  ];
  for (const c of permanent) {
    it(`a handler throwing ${c.name} has its job dead-lettered at once, no retry`, async () => {
      let attempts = 0;
      const worker = makeWorker({ async validate() { attempts++; throw c.error(); } });
      await store.queue.enqueue({ bad: true }, { maxAttempts: 5 });
      const running = worker.run();
      await waitFor('dead-lettered', async () => (await store.queue.counts()).deadLettered === 1);
      worker.drain('done');
      await running;
      expect(attempts).toBe(1);
    });
  }

  it('drain waits for the running job to finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let started = false;
    const worker = makeWorker({ async validate() { started = true; await gate; return 'done'; } });
    await store.queue.enqueue('slow');
    const running = worker.run();
    await waitFor('job started', () => started);
    worker.drain('scale down');
    await waitFor('registry says draining', async () => (await store.getWorker('w-test'))?.state === 'draining');
    expect((await store.queue.counts()).completed).toBe(0);
    release();
    expect(await running).toBe(0);
    expect((await store.queue.counts()).completed).toBe(1);
  });

  it('after the drain timeout it leaves the job leased (it is retried when the lease expires)', async () => {
    const worker = makeWorker({ validate: () => new Promise(() => { /* never ends */ }) }, { drainTimeoutMs: 50 });
    await store.queue.enqueue('stuck');
    const running = worker.run();
    await waitFor('leased', async () => (await store.queue.counts()).inFlight === 1);
    worker.drain('stop');
    expect(await running).toBe(1);
    expect(await store.queue.counts()).toMatchObject({ inFlight: 1, completed: 0 });
  });

  it('heartbeats extend the lease of a job longer than the lease', async () => {
    let finish!: () => void;
    const gate = new Promise<void>((r) => { finish = r; });
    const worker = makeWorker({ async validate() { await gate; return 1; } }, { leaseMs: 200, heartbeatMs: 40 });
    await store.queue.enqueue('long');
    const running = worker.run();
    await waitFor('leased', async () => (await store.queue.counts()).inFlight === 1);
    // Well past the original lease: nobody else can take the job.
    const deadline = Date.now() + 600;
    while (Date.now() < deadline) {
      expect(await store.queue.lease('thief', 1000)).toEqual([]);
      await new Promise((r) => setTimeout(r, 50));
    }
    finish();
    await waitFor('completed', async () => (await store.queue.counts()).completed === 1);
    worker.drain('done');
    await running;
  });

  it('a managed worker stops itself when the controller heartbeat goes silent', async () => {
    await store.saveState(CONTROLLER_HEARTBEAT_KEY, JSON.stringify({ instanceId: 'gone', pid: 1, at: Date.now() - 10_000 }));
    const worker = makeWorker({ async validate() { return 1; } }, { managed: true, orphanTimeoutMs: 1_000 });
    expect(await worker.run()).toBe(0);
    expect((await store.getWorker('w-test'))?.state).toBe('stopped');
  });

  it('a managed worker that the new leading controller does not adopt stops itself; an adopted one keeps running', async () => {
    const beat = (): Promise<void> => store.saveState(CONTROLLER_HEARTBEAT_KEY, JSON.stringify({ instanceId: 'ctl-new', pid: 1, at: Date.now() }));
    await beat();
    const timer = setInterval(() => { void beat(); }, 20);
    try {
      await store.registerSpawn('w-test', process.pid, 'ctl-old');
      const orphan = makeWorker({ async validate() { return 1; } }, { managed: true, orphanTimeoutMs: 300 });
      const started = Date.now();
      expect(await orphan.run()).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      await store.registerSpawn('w-kept', process.pid, 'ctl-old');
      await store.adoptWorkers(['w-kept'], 'ctl-new');
      const kept = makeWorker({ async validate() { return 1; } }, { managed: true, orphanTimeoutMs: 300, workerId: 'w-kept' });
      const run = kept.run();
      await new Promise((r) => setTimeout(r, 700));
      expect((await store.getWorker('w-kept'))?.state).toBe('ready');
      kept.drain('test done');
      expect(await run).toBe(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('rejects a heartbeat that is not shorter than the lease', () => {
    expect(() => makeWorker({ async validate() { return 1; } }, { leaseMs: 100, heartbeatMs: 100 })).toThrow(/heartbeat/);
  });
});

describe('handler loading', () => {
  it('loads the built-in demo handler by name', async () => {
    const h = await loadHandler('builtin:demo');
    process.env.BOUNTYBOT_DEMO_MEAN_SECONDS = '0';
    try {
      const out = await h.validate({ id: '1', payload: null, attempt: 1, maxAttempts: 1, enqueuedAt: new Date() },
        { workerId: 'x', signal: new AbortController().signal });
      expect(out).toMatchObject({ handler: 'demo' });
    } finally {
      delete process.env.BOUNTYBOT_DEMO_MEAN_SECONDS;
    }
  });

  const bad = [
    { name: 'missing file', spec: './no/such/handler.js', message: /handler module not found/ },
    { name: 'empty spec', spec: ' ', message: /must name a module/ },
  ];
  for (const c of bad) {
    it(`fails clearly: ${c.name}`, async () => {
      await expect(loadHandler(c.spec)).rejects.toThrow(HandlerLoadError);
      await expect(loadHandler(c.spec)).rejects.toThrow(c.message);
    });
  }

  it('fails clearly when a demo tuning variable is invalid', async () => {
    process.env.BOUNTYBOT_DEMO_CV = 'lots';
    try {
      await expect(loadHandler('builtin:demo')).rejects.toThrow(/demo handler: BOUNTYBOT_DEMO_CV must be a valid number; got "lots"/);
    } finally {
      delete process.env.BOUNTYBOT_DEMO_CV;
    }
  });

  it('fails clearly when the module has no validate export', async () => {
    await expect(loadHandler('./src/worker/handler.ts')).rejects.toThrow(/does not export/);
  });

  it('resolves relative paths against the working directory', () => {
    expect(resolveHandlerSpec('./src/worker/demo-handler.ts')).toMatch(/^file:\/\/.*demo-handler\.ts$/);
  });
});

describe('demo latency', () => {
  it('lognormal samples have the configured mean (seeded)', () => {
    let s = 42;
    const rnd = (): number => { s = (s * 1664525 + 1013904223) % 2 ** 32; return s / 2 ** 32; };
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sampleLognormalSeconds(4, 0.5, rnd);
    expect(sum / n).toBeGreaterThan(3.8);
    expect(sum / n).toBeLessThan(4.2);
    expect(sampleLognormalSeconds(0, 0.5)).toBe(0);
    expect(sampleLognormalSeconds(3, 0)).toBe(3);
  });
});
