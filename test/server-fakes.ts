/** Test doubles shared by the server tests: an in-memory RuntimeApi and a recording logger. */
import type { Registry } from 'prom-client';
import type { BudgetStatus } from '../src/autoscaling/types.js';
import type { GaugeSnapshot, RuntimeApi, RuntimeStatus } from '../src/control/runtime-api.js';
import type { Logger } from '../src/control/ports.js';

export const MAX_WORKERS = 10;

/** In-memory RuntimeApi: state the tests set and inspect, validation like the real runtime's. */
export class FakeRuntime implements RuntimeApi {
  ready = true;
  paused = false;
  override_: { workers: number; ttlSeconds: number } | undefined;
  statusFails = false;
  calls: string[] = [];
  gaugeValues: GaugeSnapshot = {
    queueDepth: 25, validationsPerMinute: 8, avgLatencySeconds: 45.5, activeWorkers: 3, readyWorkers: 2,
    drainingWorkers: 1, desiredWorkers: 5, budgetUtilization: { hourly: 0.75, daily: 0.5, monthly: 0.7 },
    decisionsTotal: { scale_up: 3, scale_down: 1, no_change: 12 }, paused: false,
    fallbackActive: false, metricsSourceFailures: 0,
  };

  status(): Promise<RuntimeStatus> {
    if (this.statusFails) return Promise.reject(new Error('store is locked'));
    const budget: BudgetStatus = {
      hourly: { budget: 10, current: 7.5, utilization: 0.75, remaining: 2.5, projected: 9, status: 'warning' },
      daily: { budget: 200, current: 100, utilization: 0.5, remaining: 100, projected: 180, status: 'healthy' },
      monthly: { budget: 5000, current: 3500, utilization: 0.7, remaining: 1500, projected: 4800, status: 'healthy' },
    };
    const at = new Date('2025-10-20T09:00:00Z');
    return Promise.resolve({
      at: at.toISOString(), instanceId: 'fake-1', dryRun: false, stateStorage: 'shared',
      metrics: { timestamp: at, queueDepth: 25, validationsPerMinute: 8, avgLatencySeconds: 45.5, activeWorkers: 3, arrivalsPerMinute: 9.5 },
      forecast: { predictedValidationsPerMinute: 12.25, predictedQueueDepth: 30, confidence: 0.8, timeHorizonMinutes: 5, timestamp: at, trend: 'increasing' },
      budget,
      fleet: { provisioned: 3, ready: 2, draining: 1 },
      desiredWorkers: 5,
      queue: { waiting: 25, inFlight: 2, completed: 100, deadLettered: 4 },
      pause: { paused: this.paused },
      ...(this.override_ ? { override: { ...this.override_, expiresAt: at.toISOString() } } : {}),
      decisions: [{ at, action: 'scale_up', currentWorkers: 3, targetWorkers: 5, appliedWorkers: 5, reasoning: ['queue 25 > target 10'], dryRun: false }],
    });
  }
  pause(): void { this.calls.push('pause'); this.paused = true; }
  resume(): void { this.calls.push('resume'); this.paused = false; }
  override(workers: number, ttlSeconds: number): void {
    if (workers > MAX_WORKERS) throw new RangeError(`workers must be an integer in [0, ${MAX_WORKERS}]; got ${workers}`);
    this.calls.push(`override(${workers},${ttlSeconds})`);
    this.override_ = { workers, ttlSeconds };
  }
  clearOverride(): void { this.calls.push('clearOverride'); this.override_ = undefined; }
  isReady(): boolean { return this.ready; }
  gauges(): GaugeSnapshot { return { ...this.gaugeValues, paused: this.paused }; }
}

export class MemoryLogger implements Logger {
  lines: { level: string; o: object; msg?: string }[] = [];
  info(o: object, msg?: string): void { this.lines.push({ level: 'info', o, ...(msg !== undefined ? { msg } : {}) }); }
  warn(o: object, msg?: string): void { this.lines.push({ level: 'warn', o, ...(msg !== undefined ? { msg } : {}) }); }
  error(o: object, msg?: string): void { this.lines.push({ level: 'error', o, ...(msg !== undefined ? { msg } : {}) }); }
  debug(o: object, msg?: string): void { this.lines.push({ level: 'debug', o, ...(msg !== undefined ? { msg } : {}) }); }
}

/** The value of the sample line `series` in an exposition text, or undefined when absent. */
export function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

export function ourMetricNames(registry: Registry): string[] {
  return registry.getMetricsAsArray().map((m) => m.name).filter((n) => n.startsWith('bountybot_'));
}
