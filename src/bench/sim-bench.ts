/**
 * Simulator speed: 4 weeks of NASA-HTTP at peak load 30 workers (the target: < 10 s for
 * one policy), per policy, as a markdown section for BENCHMARKS.md.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveScalingConfig } from '../autoscaling/scaling-config.js';
import { runSimulation } from '../sim/run.js';
import { loadTraceFile } from '../sim/trace.js';

export const NASA_TRACE = fileURLToPath(new URL('../../../shared/traces/nasa-http-jul1995-1min.csv', import.meta.url));

export interface SimBenchOptions {
  tracePath?: string;
  peakLoad?: number;
  policies?: readonly string[];
}

export interface SimBenchResult {
  markdown: string;
  /** bountybot's single simulation, run alone (the speed target); CPU time of this process meanwhile. */
  bountybot?: { wallMs: number; cpuMs: number; jobs: number };
}

export async function runSimBench(opts: SimBenchOptions = {}): Promise<SimBenchResult> {
  const path = opts.tracePath ?? NASA_TRACE;
  const peakLoad = opts.peakLoad ?? 30;
  const policies = opts.policies ?? ['fixed', 'hpa', 'keda', 'original', 'bountybot', 'zero-wait'];
  const lines = ['## Simulator speed', ''];
  if (!existsSync(path)) return { markdown: [...lines, `Skipped: trace not found at ${path}.`, ''].join('\n') };
  let bountybot: SimBenchResult['bountybot'];
  const trace = loadTraceFile(path);
  lines.push(
    `Trace \`${path.split('/').pop() ?? path}\` (${(trace.endMs / 86_400_000).toFixed(2)} days, ${trace.binSeconds}s bins) at ` +
    `--peak-load ${peakLoad}, one simulation per policy (wall time includes building the jobs; node ${process.version}).`,
    '',
    '| policy | jobs | ticks | wall s | CPU s | jobs/s |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const policy of policies) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const r = await runSimulation({ trace, policies: [policy], config: resolveScalingConfig({}), peakLoad, outOfSample: false });
    const wall = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (policy === 'bountybot') bountybot = { wallMs: wall * 1000, cpuMs: (used.user + used.system) / 1000, jobs: r.workload.jobs };
    const run = r.runs[0];
    const ticks = Math.ceil((run?.stopMs ?? 0) / (r.settings.intervalSeconds * 1000));
    lines.push(`| ${policy} | ${r.workload.jobs} | ${ticks} | ${wall.toFixed(2)} | ${((used.user + used.system) / 1e6).toFixed(2)} | ${Math.round(r.workload.jobs / wall)} |`);
  }
  lines.push('');
  return { markdown: lines.join('\n'), ...(bountybot ? { bountybot } : {}) };
}
