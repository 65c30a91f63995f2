/**
 * Searches behind `fixed-peak` and the tuned baselines: simulate candidates, keep the cheapest
 * one that meets the SLO target. Candidates that can no longer meet the SLO stop early.
 */
import { allowedMisses, meetsSlo, type PolicyPlan, type PolicyRunContext } from './policy-context.js';
import type { Clock } from '../autoscaling/types.js';
import type { SearchStep, SimulationRun } from './types.js';

interface Candidate {
  run: SimulationRun;
  feasible: boolean;
}

/** Simulates a candidate; `full` runs it to the end even when it cannot meet the SLO (a fallback result). */
async function evaluate(
  ctx: PolicyRunContext, build: (clock: Clock) => PolicyPlan, steps: SearchStep[], params: Record<string, number>,
  maxWorkerSeconds?: number, full = false,
): Promise<Candidate> {
  const run = await ctx.simulate(build, full ? {} : {
    maxMisses: allowedMisses(ctx.workload.jobs, ctx.settings.sloTarget),
    ...(maxWorkerSeconds !== undefined ? { maxWorkerSeconds } : {}),
  });
  steps.push({
    params: run.summary.params ?? params, cost: run.summary.cost, sloAttainment: run.summary.sloAttainment, ...(run.aborted ? { aborted: run.aborted } : {}),
  });
  return { run, feasible: meetsSlo(run, ctx.settings.sloTarget) };
}

function finish(best: SimulationRun, steps: SearchStep[], simulations: number): SimulationRun {
  return { ...best, search: steps, simulations };
}

/**
 * Smallest integer in [lo, hi] whose plan meets the SLO (binary search; assumes more is never
 * worse). If even `hi` fails, returns hi's run.
 */
export async function searchSmallestInteger(
  ctx: PolicyRunContext, lo: number, hi: number, plan: (n: number) => (clock: Clock) => PolicyPlan, param: string,
): Promise<SimulationRun> {
  const steps: SearchStep[] = [];
  let sims = 0;
  let best: SimulationRun | undefined;
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = Math.floor((a + b) / 2);
    const c = await evaluate(ctx, plan(mid), steps, { [param]: mid });
    sims++;
    if (c.feasible) {
      best = c.run;
      b = mid;
    } else {
      a = mid + 1;
    }
  }
  if (!best || (best.summary.params?.[param] ?? Number.NaN) !== a) {
    // Only reached when nothing below hi was feasible: hi itself, run to the end whatever its SLO.
    const c = await evaluate(ctx, plan(a), steps, { [param]: a }, undefined, true);
    sims++;
    best = c.run;
  }
  return finish(best, steps, sims);
}

/**
 * Largest value in [lo, hi] (log-scale bisection, `iterations` halvings) whose plan meets the
 * SLO, for targets where larger means fewer workers; returns the cheapest feasible run seen, or
 * the run at `lo` if nothing was feasible. With `toBeat`, candidates stop as soon as they cost
 * more than it (and the search moves toward cheaper, larger values).
 */
export async function searchLargestTarget(
  ctx: PolicyRunContext, lo: number, hi: number, iterations: number,
  plan: (x: number) => (clock: Clock) => PolicyPlan, param: string, toBeat?: SimulationRun,
): Promise<SimulationRun> {
  const steps: SearchStep[] = [];
  let sims = 0;
  let best: SimulationRun | undefined;
  const ceiling = (): number | undefined => {
    const ref = best ?? toBeat;
    return ref ? ref.summary.workerHours * 3600 : undefined;
  };
  const tryValue = async (x: number): Promise<Candidate> => {
    const c = await evaluate(ctx, plan(x), steps, { [param]: x }, ceiling());
    sims++;
    if (c.feasible && (!best || c.run.summary.cost < best.summary.cost)) best = c.run;
    return c;
  };
  let a = lo;
  let b = hi;
  const top = await tryValue(hi);
  // The cheapest setting already costs more than `toBeat`: every other one costs more still.
  if (!top.feasible && top.run.aborted !== 'cost') {
    for (let i = 0; i < iterations; i++) {
      const mid = round3(Math.sqrt(a * b));
      const c = await tryValue(mid);
      if (c.feasible || c.run.aborted === 'cost') a = mid;
      else b = mid;
    }
  }
  if (!best && !toBeat) {
    // Nothing feasible: report the most generous setting, run to the end whatever its SLO.
    const c = await evaluate(ctx, plan(lo), steps, { [param]: lo }, undefined, true);
    sims++;
    best = c.run;
  }
  if (!best) return { ...(toBeat as SimulationRun), search: steps, simulations: sims };
  return finish(best, steps, sims);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Scale-down stabilization windows the tuned baselines search, seconds (Kubernetes' default is 300). */
export const STABILIZATION_WINDOWS: readonly number[] = [300, 120, 60, 30, 0];

/**
 * For each window, the largest feasible target by `searchLargestTarget`; keeps the cheapest run
 * over all windows. Later windows stop a candidate as soon as it costs more than the best so far.
 */
export async function searchWindowsAndTarget(
  ctx: PolicyRunContext, windows: readonly number[], lo: number, hi: number, iterations: number,
  plan: (windowSeconds: number) => (x: number) => (clock: Clock) => PolicyPlan, param: string,
): Promise<SimulationRun> {
  let best: SimulationRun | undefined;
  const steps: SearchStep[] = [];
  let sims = 0;
  for (const w of windows) {
    const r = await searchLargestTarget(ctx, lo, hi, iterations, plan(w), param, best);
    steps.push(...(r.search ?? []));
    sims += r.simulations;
    if (best === undefined || (r !== best && meetsSlo(r, ctx.settings.sloTarget) && r.summary.cost < best.summary.cost)) best = r;
    else if (!meetsSlo(best, ctx.settings.sloTarget) && r.summary.sloAttainment > best.summary.sloAttainment) best = r;
  }
  return { ...(best as SimulationRun), search: steps, simulations: sims };
}
