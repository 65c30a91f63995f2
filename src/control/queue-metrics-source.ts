/**
 * Metrics source `queue`: the loop's observation read from the shared queue and worker registry
 * (SQLite, Redis — any JobQueue/WorkerRegistry), so it counts every worker process on every host
 * and survives controller restarts (nothing is kept in controller memory).
 */
import type { MetricsSource, Observation } from './interfaces.js';
import type { JobQueue, WorkerRegistry } from './ports.js';

export interface QueueMetricsSourceOptions {
  /** Window for latency, p95 and success rate, ms (the config's metrics_window_minutes). */
  windowMs: number;
  /** Window for arrival and completion rates, ms. Default 60000 (the last minute). */
  rateWindowMs?: number;
}

export class QueueMetricsSource implements MetricsSource {
  private readonly windowMs: number;
  private readonly rateWindowMs: number;

  constructor(
    private readonly queue: Pick<JobQueue, 'windowStats'>,
    private readonly registry: Pick<WorkerRegistry, 'workerCounts'>,
    opts: QueueMetricsSourceOptions,
  ) {
    if (!(opts.windowMs > 0)) throw new RangeError(`windowMs must be > 0; got ${String(opts.windowMs)}`);
    this.windowMs = opts.windowMs;
    this.rateWindowMs = opts.rateWindowMs ?? Math.min(60_000, opts.windowMs);
    if (!(this.rateWindowMs > 0)) throw new RangeError(`rateWindowMs must be > 0; got ${String(this.rateWindowMs)}`);
  }

  async read(now: Date): Promise<Observation> {
    const [s, w] = await Promise.all([
      this.queue.windowStats(this.windowMs, this.rateWindowMs), this.registry.workerCounts(),
    ]);
    const perMinute = 60_000 / this.rateWindowMs;
    const ended = s.windowCompleted + s.windowFailed;
    return {
      timestamp: now,
      queueDepth: s.waiting,
      inFlight: s.inFlight,
      arrivalsPerMinute: s.arrivals * perMinute,
      validationsPerMinute: s.completions * perMinute,
      // 0 = not measured yet; the engine then assumes its default service time.
      avgLatencySeconds: s.avgLatencySeconds ?? 0,
      activeWorkers: w.starting + w.ready,
      readyWorkers: w.ready,
      oldestWaitSeconds: s.oldestWaitSeconds,
      ...(s.p95LatencySeconds !== undefined ? { p95LatencySeconds: s.p95LatencySeconds } : {}),
      ...(s.serviceTimeCv !== undefined ? { serviceTimeCv: s.serviceTimeCv } : {}),
      ...(ended > 0 ? { successRate: s.windowCompleted / ended } : {}),
    };
  }
}
