/**
 * Validation metrics for scaling decisions: queue depth, throughput, latency, success rate and
 * process/system resource use, over a sliding time window.
 *
 * Memory is bounded however many validations pass and however many are never ended:
 * completions and depth points live in ring deques pruned by time (each also has a hard cap as
 * a safety valve), the totals are plain counters, and a validation started but not ended within
 * `abandonAfterMinutes` (default 60) is dropped and counted in `abandonedValidations`, as are the
 * oldest queued or running ones beyond `maxTracked` (default 100,000 of each).
 *
 * - queueDepth = enqueued and not yet started (waiting), the brief's `queue_depth` and
 *   `bountybot_autoscaling_queue_depth`; inFlight = started and not yet ended. A validation is
 *   in one or the other, never both.
 * - Latency = start → end of validations ended within the window.
 * - validationsPerMinute = completions in the window / the window's length (throughput, not
 *   demand), where the length is the time since start (or reset) while that is shorter than the
 *   window, but at least one minute: a handful of completions in the first seconds is not
 *   extrapolated to a huge rate.
 * - Trends compare the mean of the first half of the points in the window with the second half
 *   (±20 %), as the original did with its last ten points; fewer than 10 points → insufficient_data.
 *   Depth points are recorded on every change and on each `getCurrentMetrics`, at most one per
 *   second (the latest depth in a second wins), so a burst of events is not mistaken for a trend.
 * - CPU and memory come from the injected `resourceSampler` (pure core: no default reading; the
 *   package entry `bountybot/autoscaling` defaults it to this process's, see
 *   adapters/process-resource-sampler.ts).
 */
import { RingDeque } from './ring-deque.js';
import { systemClock, type Clock, type TrendOrInsufficient } from './types.js';

export interface ResourceReading {
  /** Percent 0..100. */
  cpuUsage: number;
  /** Percent 0..100. */
  memoryUsage: number;
}

export type ResourceSampler = () => ResourceReading;

export interface CollectorLogger {
  warn(message: string): void;
}

export interface AutoScalingMetricsCollectorOptions {
  /** Sliding window for rates and latency, minutes. Default 5. */
  windowMinutes?: number;
  clock?: Clock;
  /** CPU and memory readings. Default: none (both 0). */
  resourceSampler?: ResourceSampler;
  /** Where ignored calls (ending an unknown id …) are reported. Default `console.warn`. */
  logger?: CollectorLogger;
  /** Hard cap on completions kept for the window (oldest dropped beyond it). Default 100 000. */
  maxWindowCompletions?: number;
  /** A validation running longer than this, minutes, is dropped as abandoned. Default 60. */
  abandonAfterMinutes?: number;
  /** Most queued, and most running, validations tracked; the oldest beyond it are dropped as abandoned. Default 100 000. */
  maxTracked?: number;
}

export interface CollectorMetrics {
  timestamp: Date;
  /** Validations waiting to start (enqueued, not started). */
  queueDepth: number;
  /** Validations in progress (started, not ended). */
  inFlight: number;
  /** Completions per minute over the window (throughput). */
  validationsPerMinute: number;
  avgLatencySeconds: number;
  p95LatencySeconds: number;
  maxLatencySeconds: number;
  minLatencySeconds: number;
  successRate: number;
  cpuUsage: number;
  memoryUsage: number;
  windowMinutes: number;
}

export interface CollectorStatistics {
  uptimeSeconds: number;
  /** Validations ended since start or reset. */
  totalValidations: number;
  totalSuccesses: number;
  totalFailures: number;
  /** totalSuccesses / totalValidations; 1 before any validation ended (as `successRate`). */
  overallSuccessRate: number;
  currentMetrics: CollectorMetrics;
  queueDepthTrend: TrendOrInsufficient;
  latencyTrend: TrendOrInsufficient;
  /** Validations in progress (as `currentMetrics.inFlight`). */
  inFlight: number;
  /** Validations dropped since start or reset: running past `abandonAfterMinutes`, or beyond `maxTracked`. */
  abandonedValidations: number;
  /** Validations ended within the window. */
  completedValidations: number;
}

export interface ExportedCollectorMetrics {
  bountybot_autoscaling_queue_depth: number;
  bountybot_autoscaling_validations_per_minute: number;
  bountybot_autoscaling_avg_latency_seconds: number;
  bountybot_autoscaling_success_rate: number;
  bountybot_autoscaling_cpu_usage: number;
  bountybot_autoscaling_memory_usage: number;
  bountybot_autoscaling_total_validations: number;
  bountybot_autoscaling_total_successes: number;
  bountybot_autoscaling_total_failures: number;
  bountybot_autoscaling_uptime_seconds: number;
}

/** Sizes of the internal structures, for tests and diagnostics. */
export interface CollectorFootprint {
  queued: number;
  inFlight: number;
  windowCompletions: number;
  depthPoints: number;
}

interface Completion {
  endMs: number;
  latencySeconds: number;
  success: boolean;
}

interface DepthPoint {
  atMs: number;
  depth: number;
}

const MINUTE_MS = 60_000;
const TREND_MIN_POINTS = 10;
const TREND_BAND = 0.2;
const DEPTH_RESOLUTION_MS = 1000;
const MAX_DEPTH_POINTS = 4096;
const NO_READINGS: ResourceSampler = () => ({ cpuUsage: 0, memoryUsage: 0 });

function positiveOption(name: string, value: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be ${integer ? 'an integer >= 1' : 'a number > 0'}; got ${String(value)}`);
  }
  return value;
}

export class AutoScalingMetricsCollector {
  readonly windowMinutes: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private readonly sampler: ResourceSampler;
  private readonly logger: CollectorLogger;
  private readonly abandonAfterMs: number;
  private readonly maxTracked: number;
  /** id → enqueue time, and id → start time; insertion order is time order (re-inserted on restart). */
  private readonly queued = new Map<string, number>();
  private readonly running = new Map<string, number>();
  private readonly completions: RingDeque<Completion>;
  private readonly depthHistory = new RingDeque<DepthPoint>(MAX_DEPTH_POINTS);
  private lastResources: ResourceReading = { cpuUsage: 0, memoryUsage: 0 };
  private startedMs: number;
  private totalSuccesses = 0;
  private totalFailures = 0;
  private abandoned = 0;

  constructor(options: AutoScalingMetricsCollectorOptions = {}) {
    const windowMinutes = positiveOption('windowMinutes', options.windowMinutes ?? 5, false);
    const cap = positiveOption('maxWindowCompletions', options.maxWindowCompletions ?? 100_000, true);
    this.abandonAfterMs = positiveOption('abandonAfterMinutes', options.abandonAfterMinutes ?? 60, false) * MINUTE_MS;
    this.maxTracked = positiveOption('maxTracked', options.maxTracked ?? 100_000, true);
    this.windowMinutes = windowMinutes;
    this.windowMs = windowMinutes * MINUTE_MS;
    this.clock = options.clock ?? systemClock;
    this.sampler = options.resourceSampler ?? NO_READINGS;
    this.logger = options.logger ?? { warn: (m) => console.warn(m) };
    this.completions = new RingDeque<Completion>(cap);
    this.startedMs = this.nowMs();
  }

  /** A validation entered the queue. Enqueuing an id already queued or running is ignored. */
  enqueueValidation(id: string): void {
    const now = this.nowMs();
    this.dropAbandoned(now);
    if (this.queued.has(id) || this.running.has(id)) {
      this.logger.warn(`autoscaling collector: validation ${id} is already queued or running; enqueue ignored`);
      return;
    }
    this.queued.set(id, now);
    this.capTracked(this.queued);
    this.recordDepth(now);
  }

  /** A validation started (it need not have been enqueued). Starting a running id restarts its timer. */
  startValidation(id: string): void {
    const now = this.nowMs();
    this.dropAbandoned(now);
    this.queued.delete(id);
    if (this.running.delete(id)) {
      this.logger.warn(`autoscaling collector: validation ${id} was already running; its timer restarts`);
    }
    this.running.set(id, now);
    this.capTracked(this.running);
    this.recordDepth(now);
  }

  /**
   * A validation ended. Ending an id that never started but is queued removes it from the queue
   * (a cancellation: not counted as a completion); ending an unknown id is a logged no-op.
   */
  endValidation(id: string, result: { success?: boolean; error?: string } = {}): void {
    const now = this.nowMs();
    const startedMs = this.running.get(id);
    if (startedMs === undefined) {
      if (this.queued.delete(id)) {
        this.logger.warn(`autoscaling collector: validation ${id} ended before it started; removed from the queue, not counted`);
        this.recordDepth(now);
      } else {
        this.logger.warn(`autoscaling collector: validation ${id} is not queued or running; end ignored`);
      }
      return;
    }
    this.running.delete(id);
    const success = result.success ?? true;
    if (success) this.totalSuccesses++;
    else this.totalFailures++;
    this.completions.push({ endMs: now, latencySeconds: Math.max(0, now - startedMs) / 1000, success });
    this.prune(now);
    this.recordDepth(now);
  }

  getCurrentMetrics(): CollectorMetrics {
    const now = this.nowMs();
    this.dropAbandoned(now);
    this.prune(now);
    this.recordDepth(now);
    const latencies: number[] = [];
    let successes = 0;
    let sum = 0;
    for (const c of this.completions) {
      latencies.push(c.latencySeconds);
      sum += c.latencySeconds;
      if (c.success) successes++;
    }
    const n = latencies.length;
    latencies.sort((a, b) => a - b);
    const spanMs = Math.max(Math.min(MINUTE_MS, this.windowMs), Math.min(this.windowMs, now - this.startedMs));
    const resources = this.readResources();
    return {
      timestamp: new Date(now),
      queueDepth: this.queued.size,
      inFlight: this.running.size,
      validationsPerMinute: n / (spanMs / MINUTE_MS),
      avgLatencySeconds: n > 0 ? sum / n : 0,
      p95LatencySeconds: n > 0 ? (latencies[Math.ceil(0.95 * n) - 1] ?? 0) : 0,
      maxLatencySeconds: n > 0 ? (latencies[n - 1] ?? 0) : 0,
      minLatencySeconds: n > 0 ? (latencies[0] ?? 0) : 0,
      successRate: n > 0 ? successes / n : 1,
      cpuUsage: resources.cpuUsage,
      memoryUsage: resources.memoryUsage,
      windowMinutes: this.windowMinutes,
    };
  }

  getQueueDepthTrend(): TrendOrInsufficient {
    const now = this.nowMs();
    this.prune(now);
    return halvesTrend(Array.from(this.depthHistory, (p) => p.depth));
  }

  getLatencyTrend(): TrendOrInsufficient {
    this.prune(this.nowMs());
    return halvesTrend(Array.from(this.completions, (c) => c.latencySeconds));
  }

  getStatistics(): CollectorStatistics {
    const now = this.nowMs();
    const currentMetrics = this.getCurrentMetrics();
    const total = this.totalSuccesses + this.totalFailures;
    return {
      uptimeSeconds: Math.max(0, now - this.startedMs) / 1000,
      totalValidations: total,
      totalSuccesses: this.totalSuccesses,
      totalFailures: this.totalFailures,
      overallSuccessRate: total > 0 ? this.totalSuccesses / total : 1,
      currentMetrics,
      queueDepthTrend: this.getQueueDepthTrend(),
      latencyTrend: this.getLatencyTrend(),
      inFlight: currentMetrics.inFlight,
      abandonedValidations: this.abandoned,
      completedValidations: this.completions.size,
    };
  }

  /** The brief's metric names, for an external exporter. */
  exportMetrics(): ExportedCollectorMetrics {
    const s = this.getStatistics();
    const m = s.currentMetrics;
    return {
      bountybot_autoscaling_queue_depth: m.queueDepth,
      bountybot_autoscaling_validations_per_minute: m.validationsPerMinute,
      bountybot_autoscaling_avg_latency_seconds: m.avgLatencySeconds,
      bountybot_autoscaling_success_rate: m.successRate,
      bountybot_autoscaling_cpu_usage: m.cpuUsage,
      bountybot_autoscaling_memory_usage: m.memoryUsage,
      bountybot_autoscaling_total_validations: s.totalValidations,
      bountybot_autoscaling_total_successes: s.totalSuccesses,
      bountybot_autoscaling_total_failures: s.totalFailures,
      bountybot_autoscaling_uptime_seconds: s.uptimeSeconds,
    };
  }

  /** Forgets everything, including validations in flight; uptime restarts. */
  reset(): void {
    this.queued.clear();
    this.running.clear();
    this.completions.clear();
    this.depthHistory.clear();
    this.totalSuccesses = 0;
    this.totalFailures = 0;
    this.abandoned = 0;
    this.startedMs = this.nowMs();
  }

  getFootprint(): CollectorFootprint {
    this.dropAbandoned(this.nowMs());
    return {
      queued: this.queued.size,
      inFlight: this.running.size,
      windowCompletions: this.completions.size,
      depthPoints: this.depthHistory.size,
    };
  }

  private nowMs(): number {
    return this.clock().getTime();
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while ((this.completions.first()?.endMs ?? Infinity) < cutoff) this.completions.shift();
    while ((this.depthHistory.first()?.atMs ?? Infinity) < cutoff) this.depthHistory.shift();
  }

  /** Drops validations running longer than abandonAfterMinutes (the oldest come first). */
  private dropAbandoned(now: number): void {
    const cutoff = now - this.abandonAfterMs;
    for (const [id, startedMs] of this.running) {
      if (startedMs >= cutoff) break;
      this.running.delete(id);
      this.abandoned++;
    }
  }

  private capTracked(map: Map<string, number>): void {
    for (const id of map.keys()) {
      if (map.size <= this.maxTracked) break;
      map.delete(id);
      this.abandoned++;
    }
  }

  private recordDepth(now: number): void {
    const depth = this.queued.size;
    const last = this.depthHistory.last();
    if (last !== undefined && Math.floor(last.atMs / DEPTH_RESOLUTION_MS) === Math.floor(now / DEPTH_RESOLUTION_MS)) {
      this.depthHistory.setLast({ atMs: last.atMs, depth });
    } else {
      this.depthHistory.push({ atMs: now, depth });
    }
    this.prune(now);
  }

  private readResources(): ResourceReading {
    try {
      const r = this.sampler();
      if (Number.isFinite(r.cpuUsage) && Number.isFinite(r.memoryUsage)) {
        this.lastResources = { cpuUsage: clamp(r.cpuUsage, 0, 100), memoryUsage: clamp(r.memoryUsage, 0, 100) };
      }
    } catch (err) {
      this.logger.warn(`autoscaling collector: resource sampler failed (${err instanceof Error ? err.message : String(err)}); keeping the last reading`);
    }
    return this.lastResources;
  }
}

/** First half vs second half of the points, ±20 %; fewer than 10 points → insufficient_data. */
function halvesTrend(values: readonly number[]): TrendOrInsufficient {
  if (values.length < TREND_MIN_POINTS) return 'insufficient_data';
  const mid = Math.floor(values.length / 2);
  const mean = (from: number, to: number): number => {
    let s = 0;
    for (let i = from; i < to; i++) s += values[i] ?? 0;
    return s / (to - from);
  };
  const first = mean(0, mid);
  const second = mean(values.length - mid, values.length);
  if (second > first * (1 + TREND_BAND)) return 'increasing';
  if (second < first * (1 - TREND_BAND)) return 'decreasing';
  return 'stable';
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
