/**
 * The demo's last part: the seed's campaign spike (100 reports at once against 3 workers),
 * simulated with the real engine through the real control loop, printing each scaling
 * decision with its reasoning.
 */
import { resolveScalingConfig } from '../autoscaling/scaling-config.js';
import type { ScalingDecision } from '../autoscaling/types.js';
import { createEnginePolicy } from '../control/engine-policy.js';
import { buildScenario } from '../sim/scenarios.js';
import { Simulator } from '../sim/simulator.js';
import { buildWorkload } from '../sim/workload.js';

type Print = (line: string) => void;

const SHOWN_SCORE_LINES = /^(Queue|Latency|Prediction|Cost) score/;

function clockTime(d: Date): string {
  return d.toISOString().slice(11, 16);
}

export async function runSpikeDemo(print: Print): Promise<void> {
  print('## 5. A campaign spike, simulated: 100 reports at 09:00 against 3 workers');
  const scenario = buildScenario('campaign-spike');
  if (!scenario) throw new Error('built-in scenario campaign-spike is missing');
  // The seed's config, except the hourly budget: at $10/h and $2 per worker-hour the seed's own
  // budget caps the fleet at 5 workers, and this part shows sizing, not budget trimming.
  const config = resolveScalingConfig({ maxWorkers: 10, costConfig: { hourlyBudget: 25 } });
  print('Config: the seed\'s (min 1, max 10, thresholds 0.7/0.3, cooldown 5 min), hourly budget raised to $25; 25 s validations, 60 s worker start-up.');
  const workload = buildWorkload(scenario.trace, { serviceTimeSeconds: 25, serviceCv: 0.5, seed: 1 });
  let sim: Simulator | undefined;
  const decisions: ScalingDecision[] = [];
  const policy = createEnginePolicy(config, {
    clock: () => new Date(sim ? sim.nowEpochMs() : workload.trace.startMs),
    onDecision: (d) => { if (d.action !== 'no_change') decisions.push(d); },
  });
  sim = new Simulator({
    workload, policy, initialWorkers: 3, startupSeconds: 60, intervalSeconds: 15,
    sloSeconds: 120, metricsWindowMinutes: 5, costPerWorkerHour: config.costConfig.costPerWorkerHour,
  });
  const run = await sim.run();
  for (const d of decisions) {
    print(`${clockTime(d.timestamp)}  ${d.action.padEnd(10)} ${d.currentWorkers} → ${d.targetWorkers} workers  (confidence ${(d.confidence * 100).toFixed(0)}%)`);
    for (const line of d.reasoning) if (!SHOWN_SCORE_LINES.test(line)) print(`         · ${line}`);
  }
  const s = run.summary;
  print('');
  print(`Result: ${s.completed}/${s.jobs} validations done, ${s.lost} lost; latency p50 ${s.latencySeconds.p50.toFixed(0)}s, ` +
    `p95 ${s.latencySeconds.p95.toFixed(0)}s, max ${s.latencySeconds.max.toFixed(0)}s; ` +
    `${(s.sloAttainment * 100).toFixed(1)}% within ${s.sloSeconds}s; peak ${s.peakWorkers} workers; cost $${s.cost.toFixed(2)} ` +
    `over ${(run.stopMs / 3_600_000).toFixed(1)} h.`);
  print('Compare policies on the same spike: bountybot simulate --scenario campaign-spike --policy all');
}
