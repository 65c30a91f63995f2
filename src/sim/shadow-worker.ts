/** Worker-thread entry of shadow mode's counterfactual (see shadow-simulation.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { simulateCounterfactual, type CounterfactualJob } from './shadow-simulation.js';

simulateCounterfactual(workerData as CounterfactualJob).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) }),
);
