/** Shared pieces of the simulator and CLI tests: a scripted policy, a hand-made workload, the worker log as rows, a CLI runner. */
import { vi } from 'vitest';
import type { ScalingPolicy } from '../../src/control/interfaces.js';
import { main } from '../../src/cli/main.js';
import type { SimulationRun } from '../../src/sim/types.js';
import type { Workload } from '../../src/sim/workload.js';

export const T0 = Date.UTC(2025, 0, 6);

/** Asks for targets[k] workers at the k-th evaluation (15 s apart from T0), the last one after. */
export function scripted(targets: number[]): ScalingPolicy {
  return {
    name: 'scripted',
    decide(input) {
      const k = Math.round((input.now.getTime() - T0) / 15_000);
      const target = targets[Math.min(k, targets.length - 1)] ?? 0;
      return { targetWorkers: target, reasoning: [`script ${target}`], action: 'no_change' };
    },
  };
}

/** Jobs at the given arrival times (ms from T0) with the given service times, over one bin ending at endMs. */
export function handWorkload(arrivals: number[], services: number[], endMs: number): Workload {
  return {
    trace: {
      source: 'hand', startMs: T0, binSeconds: endMs / 1000, binStartMs: new Float64Array([0]),
      binLengthMs: new Float64Array([endMs]), counts: new Float64Array([arrivals.length]), endMs,
    },
    scale: 1, jobs: arrivals.length, arrivalMs: new Float64Array(arrivals), serviceMs: new Float64Array(services),
    serviceTimeSeconds: 100, serviceCv: 0, peakHourLoad: 0, peakBinLoad: 0,
  };
}

/** The --workers-out rows of a run: [seconds, provisioned, ready, busy]. */
export function workerRows(run: SimulationRun): number[][] {
  const l = run.workerLog!;
  return Array.from({ length: l.length }, (_, i) => [l.timeMs[i]! / 1000, l.provisioned[i]!, l.ready[i]!, l.busy[i]!]);
}

/** Runs `bountybot ...args` in-process, capturing stdout and stderr. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await main(['node', 'bountybot', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
