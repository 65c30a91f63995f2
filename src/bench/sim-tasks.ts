/**
 * The bench's simulations as tasks a pool of worker threads runs (sim-worker.ts), so the SLO grid
 * uses every core. A task names its workload (trace file or scenario) and the simulation; its
 * result is the simulation result without the bulky series and per-job arrays.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { resolveScalingConfig } from '../autoscaling/scaling-config.js';
import { runSimulation } from '../sim/run.js';
import { buildScenario } from '../sim/scenarios.js';
import { loadTraceFile } from '../sim/trace.js';
import type { ScaleDownMode, SimulationResult, SimulationRun } from '../sim/types.js';

export interface SimTask {
  id: number;
  /** A trace file path, or `scenario:NAME`. */
  workload: string;
  policies: string[];
  sloSeconds: number;
  scaleDown: ScaleDownMode;
  outOfSample: boolean;
  /** Rescale traces to this busiest-hour load (scenarios run at their own scale). */
  peakLoad: number;
  seed: number;
}

export type CompactRun = Omit<SimulationRun, 'series' | 'jobs' | 'workerLog' | 'search'>;
export interface CompactResult extends Omit<SimulationResult, 'runs'> {
  runs: CompactRun[];
}

export interface SimTaskResult {
  id: number;
  result?: CompactResult;
  error?: string;
  wallMs: number;
}

/** Runs one task in this thread. */
export async function runSimTask(task: SimTask): Promise<SimTaskResult> {
  const started = performance.now();
  try {
    const scenarioName = task.workload.startsWith('scenario:') ? task.workload.slice('scenario:'.length) : undefined;
    const scenario = scenarioName !== undefined ? buildScenario(scenarioName) : undefined;
    if (scenarioName !== undefined && scenario === undefined) throw new Error(`unknown scenario ${scenarioName}`);
    const r = await runSimulation({
      trace: scenario?.trace ?? loadTraceFile(task.workload),
      policies: task.policies, config: resolveScalingConfig({}), seed: task.seed, sloSeconds: task.sloSeconds,
      scaleDown: task.scaleDown, outOfSample: task.outOfSample,
      ...(scenario === undefined ? { peakLoad: task.peakLoad } : {}),
      ...(scenario?.fixedWorkers !== undefined ? { fixedWorkers: scenario.fixedWorkers } : {}),
    });
    const runs = r.runs.map(({ series: _s, jobs: _j, workerLog: _w, search: _x, ...rest }) => rest);
    return { id: task.id, result: { ...r, runs }, wallMs: performance.now() - started };
  } catch (err) {
    return { id: task.id, error: err instanceof Error ? err.message : String(err), wallMs: performance.now() - started };
  }
}

/** Threads the pool uses: BOUNTYBOT_BENCH_THREADS, else min(2, cores). */
export function benchThreads(): number {
  const env = Number(process.env.BOUNTYBOT_BENCH_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * Runs every task on `threads` worker threads (longest first is the caller's ordering), calling
 * `onDone` as each finishes; with one thread, or if a worker cannot start, runs them in this thread.
 */
export async function runSimTasks(tasks: readonly SimTask[], threads: number, onDone: (r: SimTaskResult) => void): Promise<SimTaskResult[]> {
  const results: SimTaskResult[] = [];
  const done = (r: SimTaskResult): void => {
    results.push(r);
    onDone(r);
  };
  if (threads <= 1) {
    for (const t of tasks) done(await runSimTask(t));
    return results;
  }
  const queue = [...tasks];
  const url = new URL('./sim-worker.js', import.meta.url);
  await Promise.all(Array.from({ length: Math.min(threads, tasks.length) }, () => new Promise<void>((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(url);
    } catch {
      // No worker support here: share the remaining tasks from this thread.
      void (async () => {
        for (let t = queue.shift(); t !== undefined; t = queue.shift()) done(await runSimTask(t));
        resolve();
      })();
      return;
    }
    const next = (): void => {
      const t = queue.shift();
      if (t === undefined) {
        void worker.terminate().then(() => resolve());
        return;
      }
      worker.postMessage(t);
    };
    worker.on('message', (r: SimTaskResult) => {
      done(r);
      next();
    });
    worker.on('error', (err) => {
      done({ id: -1, error: err.message, wallMs: 0 });
      resolve();
    });
    next();
  })));
  return results;
}
