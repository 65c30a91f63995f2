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

async function evaluate(
  ctx: PolicyRunContext, build: (clock: Clock) => PolicyPlan, steps: SearchStep[], params: Record<string, number>,
): Promise<Candidate> {
  const run = await ctx.simulate(build, { maxMisses: allowedMisses(ctx.workload.jobs, ctx.settings.sloTarget) });
  steps.push({
    params, cost: run.summary.cost, sloAttainment: run.summary.sloAttainment, ...(run.aborted ? { aborted: run.aborted } : {}),
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
    const c = await evaluate(ctx, plan(a), steps, { [param]: a });
    sims++;
    best = c.run;
  }
  return finish(best, steps, sims);
}

/**
 * Largest value in [lo, hi] (log-scale bisection, `iterations` halvings) whose plan meets the
 * SLO, for targets where larger means fewer workers; returns the cheapest feasible run seen, or
 * the run at `lo` if nothing was feasible.
 */
export async function searchLargestTarget(
  ctx: PolicyRunContext, lo: number, hi: number, iterations: number,
  plan: (x: number) => (clock: Clock) => PolicyPlan, param: string,
): Promise<SimulationRun> {
  const steps: SearchStep[] = [];
  let sims = 0;
  let best: SimulationRun | undefined;
  const consider = (c: Candidate): void => {
    if (c.feasible && (!best || c.run.summary.cost < best.summary.cost)) best = c.run;
  };
  let a = lo;
  let b = hi;
  const top = await evaluate(ctx, plan(hi), steps, { [param]: round3(hi) });
  sims++;
  consider(top);
  if (!top.feasible) {
    for (let i = 0; i < iterations; i++) {
      const mid = round3(Math.sqrt(a * b));
      const c = await evaluate(ctx, plan(mid), steps, { [param]: mid });
      sims++;
      consider(c);
      if (c.feasible) a = mid;
      else b = mid;
    }
  }
  if (!best) {
    const c = await evaluate(ctx, plan(lo), steps, { [param]: lo });
    sims++;
    best = c.run;
  }
  return finish(best, steps, sims);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
