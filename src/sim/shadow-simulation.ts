/**
 * The simulation behind shadow mode's counterfactual, as one self-contained request (plain data,
 * so it can cross to a worker thread): the replayed arrivals and the settings, in; the summary
 * and the fleet over time, out. Runs in a worker thread when one can start, so a long window
 * never stalls the controller's loop and HTTP server; in this thread otherwise.
 */
import { Worker } from 'node:worker_threads';
import type { ScalingConfig } from '../autoscaling/scaling-config.js';
import { replayTrace } from './replay.js';
import { runSimulation } from './run.js';
import type { PolicySummary, WorkerLog } from './types.js';

export interface CounterfactualJob {
  startMs: number;
  binMs: number;
  counts: number[];
  config: ScalingConfig;
  metricsWindowMinutes: number;
  intervalSeconds: number;
  serviceTimeSeconds: number;
  serviceCv: number;
  startupSeconds: number;
  sloSeconds: number;
  sloTarget: number;
  seed: number;
  maxWorkers: number;
}

export interface CounterfactualResult {
  summary: PolicySummary;
  workerLog?: WorkerLog;
  minWorkers: number;
  /** Where it ran: a worker thread, or this thread when none could start. */
  thread: 'worker' | 'main';
}

/** Runs the simulation in this thread. */
export async function simulateCounterfactual(job: CounterfactualJob): Promise<Omit<CounterfactualResult, 'thread'>> {
  const result = await runSimulation({
    trace: replayTrace('shadow replay', { startMs: job.startMs, binMs: job.binMs, counts: job.counts }), policies: ['bountybot'],
    config: job.config, metricsWindowMinutes: job.metricsWindowMinutes, intervalSeconds: job.intervalSeconds,
    serviceTimeSeconds: job.serviceTimeSeconds, serviceCv: job.serviceCv, startupSeconds: job.startupSeconds,
    sloSeconds: job.sloSeconds, sloTarget: job.sloTarget, seed: job.seed, maxWorkers: job.maxWorkers, enforceBudgets: true,
    recordWorkerLog: true,
  });
  const run = result.runs[0];
  if (run === undefined) throw new Error('the simulation returned no run');
  return { summary: run.summary, ...(run.workerLog ? { workerLog: run.workerLog } : {}), minWorkers: result.settings.minWorkers };
}

/**
 * A worker on the script beside this module. Built, that is plain JS; run from the TypeScript
 * sources (tests, `tsx`), Node 20 threads do not inherit tsx's loader, so the thread registers it first.
 */
function startWorker(job: CounterfactualJob): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./shadow-worker.js', import.meta.url), { workerData: job });
  const entry = JSON.stringify(new URL('./shadow-worker.ts', import.meta.url).href);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${entry}); })`, { eval: true, workerData: job });
}

/**
 * Runs `job` in a fresh worker thread; falls back to this thread when the worker cannot start
 * (e.g. a test runner that cannot load TypeScript in threads) and remembers that.
 */
export class CounterfactualRunner {
  private threadsWork = true;

  async run(job: CounterfactualJob): Promise<CounterfactualResult> {
    if (this.threadsWork) {
      try {
        return { ...(await inWorker(job)), thread: 'worker' };
      } catch (err) {
        if (!(err instanceof WorkerStartError)) throw err;
        this.threadsWork = false;
      }
    }
    return { ...(await simulateCounterfactual(job)), thread: 'main' };
  }
}

class WorkerStartError extends Error {}

function inWorker(job: CounterfactualJob): Promise<Omit<CounterfactualResult, 'thread'>> {
  return new Promise((resolve, reject) => {
    let started = false;
    let worker: Worker;
    try {
      worker = startWorker(job);
    } catch (err) {
      reject(new WorkerStartError(err instanceof Error ? err.message : String(err)));
      return;
    }
    worker.unref();
    worker.once('online', () => { started = true; });
    worker.once('message', (msg: { ok: true; result: Omit<CounterfactualResult, 'thread'> } | { ok: false; error: string }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.result); else reject(new Error(msg.error));
    });
    worker.once('error', (err) => {
      void worker.terminate();
      // A worker that fails while loading its modules never ran the job: this thread can.
      reject(started && !/Unknown file extension|Cannot find module|ERR_MODULE_NOT_FOUND/.test(err.message) ? err : new WorkerStartError(err.message));
    });
    worker.once('exit', (code) => { if (code !== 0) reject(new WorkerStartError(`worker exited with code ${code}`)); });
  });
}
