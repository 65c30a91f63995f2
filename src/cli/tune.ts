/**
 * `bountybot tune --trace FILE`: tunes the engine's knobs on the first part of the user's own
 * history and validates on the rest (src/sim/tune.ts), then writes the tuned YAML: the base file
 * with the tuned keys set (every other key and comment kept), headed by a comment saying what was
 * tuned, on what, and the figures measured on the held-out part.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import { parseAutoscalingConfig } from '../config/load.js';
import { declaredSloKeys } from '../sim/engine-slo.js';
import { loadTraceFile } from '../sim/trace.js';
import { tuneEngine, type TuneResult } from '../sim/tune.js';
import { UsageError } from '../autoscaling/errors.js';
import { createProgress } from './progress.js';
import { addSimulationOptions, loadConfigOption, requestFromOptions, SIM_RULES, simNumberOption, type SimCliOptions } from './sim-options.js';

interface TuneCliOptions extends SimCliOptions {
  trace: string;
  out?: string;
  trainFraction: number;
  maxSimulations: number;
  json?: boolean;
}

export function registerTune(program: Command): void {
  const cmd = program
    .command('tune')
    .description("tune the engine's knobs on the first part of a trace (your history), validate on the rest, write the tuned YAML")
    .requiredOption('--trace <file>', 'CSV "timestamp,count" per bin: the history to tune on');
  addSimulationOptions(cmd)
    .option('--out <file>', 'write the tuned YAML here (default: print it after the results)')
    .addOption(simNumberOption('--train-fraction <F>', 'share of the trace to tune on; the rest validates', SIM_RULES.trainFraction, 0.5))
    .addOption(simNumberOption('--max-simulations <N>', 'most training simulations', SIM_RULES.simulations, 48))
    .option('--json', 'print the results as one JSON object')
    .addHelpText('after', `
Knobs searched (coordinate descent from --config, at most 2 passes, each candidate stopped early once
it cannot meet the SLO target or be cheaper): cooldown_minutes, scale_down_stabilization_seconds,
target_wait_seconds, wait_percentile, max_utilization, backlog_drain_seconds. The tuned, default
and base configs and hpa-tuned (tuned on the same history) are then run on the whole trace and
scored on the held-out part. The simulated system is set as for simulate (same options).`)
    .action(async (opts: TuneCliOptions) => {
      await runTuneCommand(opts, (text) => process.stdout.write(text));
    });
}

export async function runTuneCommand(opts: TuneCliOptions, write: (text: string) => void): Promise<TuneResult> {
  if (opts.scale !== undefined && opts.peakLoad !== undefined) throw new UsageError('--scale and --peak-load are exclusive; give one of them');
  const loaded = loadConfigOption(opts.config);
  const trace = loadTraceFile(opts.trace);
  const progress = createProgress('tuning');
  let result: TuneResult;
  try {
    result = await tuneEngine({
      ...requestFromOptions(opts, loaded), trace, trainFraction: opts.trainFraction, maxSimulations: opts.maxSimulations,
      onProgress: (done, planned) => progress.update(done / planned),
    });
  } finally {
    progress.stop();
  }
  const yamlText = tunedYaml(opts, result);
  if (opts.out !== undefined) {
    try {
      writeFileSync(opts.out, yamlText);
    } catch (err) {
      throw new UsageError(`--out: cannot write ${opts.out}: ${(err as Error).message}`);
    }
  }
  if (opts.json === true) {
    write(`${JSON.stringify({ ...result, yaml: yamlText, out: opts.out ?? null }, null, 2)}\n`);
  } else {
    write(`${tuneTable(result)}\n${opts.out !== undefined ? `\nwrote ${opts.out}\n` : `\n${yamlText}`}`);
  }
  return result;
}

const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;
const day = (s: number): string => `${(s / 86_400).toFixed(2)} days`;

function heldOutLines(r: TuneResult): string[] {
  const width = Math.max(...r.heldOut.map((h) => h.label.length), 14);
  const lines = [`${'config'.padEnd(width)}  ${'cost'.padStart(11)}  ${'/floor'.padStart(6)}  ${'SLO'.padStart(8)}  ${'p99 s'.padStart(7)}  settings`];
  for (const h of r.heldOut) {
    const p = Object.entries(h.params).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`${h.label.padEnd(width)}  ${h.heldOut.cost.toFixed(2).padStart(11)}  ${(h.heldOut.cost / r.heldOutFloorCost).toFixed(3).padStart(6)}  ` +
      `${pct(h.heldOut.sloAttainment).padStart(8)}  ${h.heldOut.latencySeconds.p99.toFixed(1).padStart(7)}  ${p}`);
  }
  lines.push(`${'floor'.padEnd(width)}  ${r.heldOutFloorCost.toFixed(2).padStart(11)}  ${'1.000'.padStart(6)}  (busy worker-time x price)`);
  return lines;
}

/** The readable summary: what was tuned, on what, and the held-out figures. */
export function tuneTable(r: TuneResult): string {
  const s = r.settings;
  const changes = Object.entries(r.changes).map(([k, [a, b]]) => `${k} ${a} -> ${b}`);
  return [
    `tuned on ${r.workload.source}: first ${day(r.trainedUntilSeconds)} of ${day(r.workload.durationSeconds)}; ` +
      `SLO ${s.sloSeconds}s for ${pct(s.sloTarget)}; scale-down ${s.scaleDown}`,
    `search: ${r.trainingSimulations} simulations in ${r.passes} pass(es) of coordinate descent; validation: ${r.validationSimulations} simulations`,
    `changed: ${changes.length > 0 ? changes.join(', ') : 'nothing (the base config was already the cheapest found)'}`,
    ...Object.entries(r.skipped).map(([k, why]) => `not tuned: ${k} (${why})`),
    `on the history: base ${r.train.base.cost.toFixed(2)} (SLO ${pct(r.train.base.sloAttainment)}), tuned ${r.train.tuned.cost.toFixed(2)} (SLO ${pct(r.train.tuned.sloAttainment)})`,
    '',
    `held-out part (the last ${day(r.workload.durationSeconds - r.trainedUntilSeconds)}; whole-trace runs scored on the jobs arriving in it):`,
    ...heldOutLines(r),
  ].join('\n');
}

/** The base YAML (or a fresh one) with the tuned keys set and the comment block on top; checked by the config loader. */
export function tunedYaml(opts: Pick<TuneCliOptions, 'config' | 'trace'>, r: TuneResult): string {
  const doc = opts.config !== undefined
    ? YAML.parseDocument(readFileSync(opts.config, 'utf8'))
    : new YAML.Document({ autoscaling: {} });
  if (!YAML.isMap(doc.get('autoscaling', true))) doc.set('autoscaling', doc.createNode({}));
  for (const [key, [, to]] of Object.entries(r.changes)) doc.setIn(['autoscaling', key], to);
  const explicit = new Set(Object.keys((doc.toJS() as { autoscaling?: Record<string, unknown> }).autoscaling ?? {}));
  const sloYaml: Record<string, number> = { slo_seconds: r.settings.sloSeconds, slo_target: r.settings.sloTarget };
  for (const key of declaredSloKeys()) {
    const yamlKey = key === 'sloSeconds' ? 'slo_seconds' : 'slo_target';
    if (!explicit.has(yamlKey)) doc.setIn(['autoscaling', yamlKey], sloYaml[yamlKey]);
  }
  const s = r.settings;
  const rows = r.heldOut.map((h) => `  ${h.label}: cost ${h.heldOut.cost.toFixed(2)}, SLO ${pct(h.heldOut.sloAttainment)}, p99 ${h.heldOut.latencySeconds.p99.toFixed(1)} s`);
  const header = [
    ` Tuned by \`bountybot tune\` on ${opts.trace}`,
    ` (first ${day(r.trainedUntilSeconds)} of ${day(r.workload.durationSeconds)}; the whole trace has ${r.workload.jobs} jobs at scale ${r.workload.scale.toPrecision(4)},` +
      ` service ${r.workload.serviceTimeSeconds} s cv ${r.workload.serviceCv}, start-up ${s.startupSeconds} s, seed ${s.seed}),`,
    ` for the SLO ${s.sloSeconds} s end to end for ${pct(s.sloTarget)} of validations; ${r.trainingSimulations} training simulations.`,
    ` Tuned: ${Object.keys(r.changes).length > 0 ? Object.entries(r.changes).map(([k, [a, b]]) => `${k} ${a} -> ${b}`).join(', ') : 'no change from the base config'}.`,
    ` Measured on the held-out last ${day(r.workload.durationSeconds - r.trainedUntilSeconds)} (whole-trace runs scored there;`,
    ` floor = busy worker-time x price = ${r.heldOutFloorCost.toFixed(2)}):`,
    ...rows,
  ];
  doc.commentBefore = [header.join('\n'), doc.commentBefore ?? ''].filter((c) => c !== '').join('\n');
  const text = doc.toString();
  parseAutoscalingConfig(text, opts.config ?? 'tuned.yaml', { env: {} });
  return text;
}
