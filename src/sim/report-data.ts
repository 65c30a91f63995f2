/**
 * The data behind the HTML report: every policy's per-minute series cut into at most
 * `maxPoints` buckets (workers, arrivals and forecasts: mean per bucket; queue depth and
 * latency: max per bucket, so spikes survive), plus one colour per policy.
 */
import type { SimulationRun } from './types.js';

/** Colour of each policy, the same in every chart and the table (Tableau 10, then extra). */
const KNOWN_ORDER = ['bountybot', 'fixed', 'fixed-peak', 'hpa', 'hpa-tuned', 'keda', 'keda-tuned', 'original', 'zero-wait'];
const PALETTE = [
  '#1f77b4', '#7f7f7f', '#8c564b', '#ff7f0e', '#d62728', '#2ca02c', '#17becf', '#9467bd', '#e377c2', '#bcbd22',
  '#393b79', '#637939', '#843c39', '#7b4173',
];

export function policyColors(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    const i = KNOWN_ORDER.indexOf(name);
    const c = i >= 0 ? PALETTE[i] : undefined;
    if (c !== undefined && !used.has(c)) {
      out.set(name, c);
      used.add(c);
    }
  }
  for (const name of names) {
    if (out.has(name)) continue;
    const c = PALETTE.find((p) => !used.has(p)) ?? PALETTE[out.size % PALETTE.length] ?? '#000000';
    out.set(name, c);
    used.add(c);
  }
  return out;
}

export type Aggregate = 'mean' | 'max';

/** Buckets of `bucket` consecutive values; NaN values are skipped, an all-NaN bucket is null. */
export function downsample(values: ArrayLike<number>, length: number, bucket: number, how: Aggregate, digits = 3): Array<number | null> {
  const out: Array<number | null> = [];
  const scale = 10 ** digits;
  for (let start = 0; start < length; start += bucket) {
    let acc = how === 'max' ? -Infinity : 0;
    let n = 0;
    const end = Math.min(length, start + bucket);
    for (let i = start; i < end; i++) {
      const v = i < values.length ? values[i] ?? Number.NaN : Number.NaN;
      if (!Number.isFinite(v)) continue;
      acc = how === 'max' ? Math.max(acc, v) : acc + v;
      n += 1;
    }
    out.push(n === 0 ? null : Math.round((how === 'max' ? acc : acc / n) * scale) / scale);
  }
  return out;
}

export interface ReportPolicySeries {
  name: string;
  description: string;
  color: string;
  reference: boolean;
  /** Null when the policy made no forecast. */
  forecast: Array<number | null> | null;
  provisioned: Array<number | null>;
  ready: Array<number | null>;
  busy: Array<number | null>;
  queue: Array<number | null>;
  latencyP95: Array<number | null>;
}

export interface ReportChartData {
  /** Epoch ms of minute 0, or null when unknown (labels then show minutes from the start). */
  startMs: number | null;
  /** Minutes per point. */
  bucketMinutes: number;
  /** Points per series. */
  points: number;
  sloSeconds: number;
  arrivals: Array<number | null>;
  policies: ReportPolicySeries[];
}

export function buildChartData(
  runs: readonly SimulationRun[], opts: { startMs: number | null; sloSeconds: number; maxPoints: number },
): ReportChartData {
  const minutes = Math.max(1, ...runs.map((r) => r.series.length));
  const bucket = Math.max(1, Math.ceil(minutes / Math.max(1, opts.maxPoints)));
  const colors = policyColors(runs.map((r) => r.policy));
  const first = runs[0];
  // Every policy sees the same arrivals (common random numbers): chart them once.
  const arrivals = first === undefined ? [] : downsample(first.series.arrivals, first.series.length, bucket, 'mean');
  const policies = runs.map((r): ReportPolicySeries => {
    const s = r.series;
    const n = Math.min(minutes, s.length);
    let hasForecast = false;
    for (let i = 0; i < n && !hasForecast; i++) hasForecast = Number.isFinite(s.forecast[i] ?? Number.NaN);
    return {
      name: r.policy,
      description: r.description,
      color: colors.get(r.policy) ?? '#000000',
      reference: r.summary.reference === true,
      forecast: hasForecast ? downsample(s.forecast, n, bucket, 'mean') : null,
      provisioned: downsample(s.provisioned, n, bucket, 'mean', 2),
      ready: downsample(s.ready, n, bucket, 'mean', 2),
      busy: downsample(s.busy, n, bucket, 'mean', 2),
      queue: downsample(s.queueDepth, n, bucket, 'max', 1),
      latencyP95: downsample(s.latencyP95Seconds, n, bucket, 'max', 1),
    };
  });
  return {
    startMs: opts.startMs, bucketMinutes: bucket, points: Math.ceil(minutes / bucket), sloSeconds: opts.sloSeconds, arrivals, policies,
  };
}
