/** Shadow mode's simulation off the controller's thread: same numbers as in-thread, and the loop keeps running meanwhile. */
import { describe, it, expect } from 'vitest';
import { resolveScalingConfig } from '../src/autoscaling/scaling-config.js';
import { CounterfactualRunner, simulateCounterfactual, type CounterfactualJob } from '../src/sim/shadow-simulation.js';
import { contiguousTail, observedFleet } from '../src/sim/shadow.js';

const job: CounterfactualJob = {
  startMs: Date.UTC(2026, 0, 5), binMs: 15_000,
  counts: Array.from({ length: 480 }, (_, i) => 20 * (1 + Math.sin((i / 480) * 2 * Math.PI))),
  config: resolveScalingConfig({ maxWorkers: 40 }), metricsWindowMinutes: 5, intervalSeconds: 15, serviceTimeSeconds: 25, serviceCv: 0.5,
  startupSeconds: 60, sloSeconds: 120, sloTarget: 0.99, seed: 1, maxWorkers: 40,
};

describe('counterfactual simulation', () => {
  it('runs in a worker thread with the same result as in this thread, without blocking it', async () => {
    let timerTicks = 0;
    const timer = setInterval(() => { timerTicks++; }, 20);
    const threaded = await new CounterfactualRunner().run(job);
    clearInterval(timer);
    const local = await simulateCounterfactual(job);
    expect(threaded.thread).toBe('worker');
    expect(threaded.summary).toEqual(local.summary);
    expect(threaded.workerLog?.length).toBe(local.workerLog?.length);
    expect(local.summary.jobs).toBeGreaterThan(5000);
    expect(timerTicks).toBeGreaterThan(3);
  });
});

describe('observed side', () => {
  const pt = (at: number, provisioned: number): { at: number; samples: number; actions: number; provisioned: number; costPerHour: number } =>
    ({ at, samples: 1, actions: 0, provisioned, costPerHour: provisioned * 2 });

  it.each([
    { name: 'no gap keeps everything', ats: [0, 1000, 2000, 3000], expected: [0, 1000, 2000, 3000] },
    { name: 'a gap cuts the window to what follows it', ats: [0, 1000, 60_000, 61_000], expected: [60_000, 61_000] },
    { name: 'empty', ats: [], expected: [] },
  ])('contiguous tail: $name', ({ ats, expected }) => {
    expect(contiguousTail(ats.map((a) => pt(a, 1)), 5000).map((p) => p.at)).toEqual(expected);
  });

  it('integrates paid workers between ticks, each step capped, clipped to the window', () => {
    // 2 workers for 10 s, then 4 for 10 s; the last tick holds until the window's end.
    const f = observedFleet([pt(0, 2), pt(10_000, 4)], 0, 20_000, 15_000, 2);
    expect(f.workerHours).toBeCloseTo((2 * 10 + 4 * 10) / 3600, 12);
    expect(f.cost).toBeCloseTo(f.workerHours * 2, 12);
    expect(f.meanWorkers).toBeCloseTo(3, 12);
    expect(f.peakWorkers).toBe(4);
    // A tick followed by silence counts only up to the cap.
    expect(observedFleet([pt(0, 2)], 0, 100_000, 5000, 2).meanWorkers).toBeCloseTo(0.1, 12);
  });
});
