/**
 * Latency of ScalingEngine.makeDecision with a full forecaster: 10,000 one-minute samples of a
 * daily-cycle workload first, then timed decisions, each one evaluation interval (15 s) later
 * with a fresh sample every fourth call, as a live controller would make them.
 */
import { ScalingEngine } from '../autoscaling/engine.js';
import type { ScalingMetrics } from '../autoscaling/types.js';

export interface EngineBenchResult {
  samples: number;
  decisions: number;
  p50Micros: number;
  p99Micros: number;
  meanMicros: number;
  maxMicros: number;
  markdown: string;
}

function metricsAt(ms: number, i: number): ScalingMetrics {
  const minute = ms / 60_000;
  const rate = 60 + 40 * Math.sin((minute * 2 * Math.PI) / 1440) + ((i * 7919) % 13);
  return {
    timestamp: new Date(ms),
    queueDepth: (i * 31) % 40,
    validationsPerMinute: rate,
    arrivalsPerMinute: rate,
    avgLatencySeconds: 25,
    activeWorkers: 20 + (i % 10),
    currentCostPerHour: 40,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}

export function runEngineBench(opts: { samples?: number; decisions?: number; warmup?: number } = {}): EngineBenchResult {
  const samples = opts.samples ?? 10_000;
  const decisions = opts.decisions ?? 5_000;
  const warmup = opts.warmup ?? 500;
  const start = Date.UTC(2024, 0, 1);
  let now = start;
  const engine = new ScalingEngine({ historySize: samples, minWorkers: 1, maxWorkers: 200 }, { clock: () => new Date(now) });
  for (let i = 0; i < samples; i++) {
    now = start + i * 60_000;
    engine.addMetrics(metricsAt(now, i));
  }
  const times = new Float64Array(decisions);
  for (let i = 0; i < warmup + decisions; i++) {
    now += 15_000;
    const m = metricsAt(now, i);
    if (i % 4 === 0) engine.addMetrics(m);
    const t0 = process.hrtime.bigint();
    engine.makeDecision(m);
    const dt = Number(process.hrtime.bigint() - t0) / 1000;
    if (i >= warmup) times[i - warmup] = dt;
  }
  let sum = 0;
  for (const t of times) sum += t;
  const sorted = times.slice().sort();
  const r = {
    samples, decisions,
    p50Micros: percentile(sorted, 0.5), p99Micros: percentile(sorted, 0.99),
    meanMicros: sum / decisions, maxMicros: sorted[sorted.length - 1] ?? Number.NaN,
  };
  const markdown = [
    `ScalingEngine.makeDecision after ${samples.toLocaleString('en-US')} one-minute samples (historySize ${samples}); ` +
      `${decisions.toLocaleString('en-US')} timed decisions 15 s apart after ${warmup} warm-up ones, a new sample every 4th.`,
    '',
    '| p50 | p99 | mean | max |',
    '| ---: | ---: | ---: | ---: |',
    `| ${r.p50Micros.toFixed(1)} µs | ${r.p99Micros.toFixed(1)} µs | ${r.meanMicros.toFixed(1)} µs | ${r.maxMicros.toFixed(1)} µs |`,
  ].join('\n');
  return { ...r, markdown };
}

/** Inputs chosen to make a decision slow: loads far past any fleet, the exact search's largest load, garbage, a far-future clock. */
const WORST_CASES: Array<{ name: string; metrics: (ms: number) => ScalingMetrics }> = [
  { name: '1e9/min at 1e7 s (offered load 1.7e14)', metrics: () => ({ queueDepth: 0, validationsPerMinute: 1e9, avgLatencySeconds: 1e7, activeWorkers: 1 }) },
  { name: '1e9/min at 30 s', metrics: () => ({ queueDepth: 0, validationsPerMinute: 1e9, avgLatencySeconds: 30, activeWorkers: 1 }) },
  { name: 'every field at its plausible maximum', metrics: () => ({ queueDepth: 1e9, validationsPerMinute: 1e9, arrivalsPerMinute: 1e9, avgLatencySeconds: 1e7, activeWorkers: 1e9, oldestWaitSeconds: 1e7, currentCostPerHour: 1e12 }) },
  { name: 'offered load 2e4, the exact search\'s largest', metrics: () => ({ queueDepth: 0, validationsPerMinute: 4e4, arrivalsPerMinute: 4e4, avgLatencySeconds: 30, activeWorkers: 50 }) },
  { name: 'NaN, Infinity and negative fields', metrics: () => ({ queueDepth: NaN, validationsPerMinute: Infinity, avgLatencySeconds: -1, activeWorkers: 3 }) },
  { name: 'timestamps ten years ahead', metrics: (ms) => ({ timestamp: new Date(ms + 3650 * 86_400_000), queueDepth: 30, validationsPerMinute: 20, avgLatencySeconds: 25, activeWorkers: 2 }) },
];

export interface WorstCaseRow {
  name: string;
  p50Micros: number;
  p99Micros: number;
  maxMicros: number;
}

/** makeDecision on adversarial inputs (each also fed to the forecaster), after a warm-up of 200 such decisions. */
export function runEngineWorstCaseBench(opts: { decisions?: number } = {}): { rows: WorstCaseRow[]; markdown: string } {
  const decisions = opts.decisions ?? 2000;
  const rows: WorstCaseRow[] = [];
  for (const c of WORST_CASES) {
    let now = Date.UTC(2024, 0, 1);
    const engine = new ScalingEngine({ minWorkers: 1, maxWorkers: 10_000 }, { clock: () => new Date(now) });
    const times = new Float64Array(decisions);
    for (let i = 0; i < 200 + decisions; i++) {
      now += 15_000;
      const m = c.metrics(now);
      const t0 = process.hrtime.bigint();
      engine.addMetrics(m);
      engine.makeDecision(m);
      const dt = Number(process.hrtime.bigint() - t0) / 1000;
      if (i >= 200) times[i - 200] = dt;
    }
    const sorted = times.slice().sort();
    rows.push({ name: c.name, p50Micros: percentile(sorted, 0.5), p99Micros: percentile(sorted, 0.99), maxMicros: sorted[sorted.length - 1] ?? Number.NaN });
  }
  const markdown = [
    `Worst-case inputs (max_workers 10,000): addMetrics + makeDecision, ${decisions.toLocaleString('en-US')} timed calls each after 200 warm-up ones.`,
    '',
    '| input | p50 | p99 | max |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.name} | ${r.p50Micros.toFixed(1)} µs | ${r.p99Micros.toFixed(1)} µs | ${r.maxMicros.toFixed(1)} µs |`),
  ].join('\n');
  return { rows, markdown };
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  process.stdout.write(`${runEngineBench().markdown}\n\n${runEngineWorstCaseBench().markdown}\n`);
}
