/**
 * Prometheus exposition of the autoscaler. Every value is read from the RuntimeApi at scrape time
 * (prom-client `collect()` callbacks), so nothing here has to be kept in sync with the loop.
 * Metrics live on the Registry the caller passes; the global registry is never touched.
 */
import { Counter, Gauge, collectDefaultMetrics, type Registry } from 'prom-client';
import type { BudgetPeriod } from '../autoscaling/types.js';
import type { GaugeSnapshot, RuntimeApi, RuntimeStatus, ShadowFleetFigures } from '../control/runtime-api.js';

export const METRIC_PREFIX = 'bountybot_autoscaling_';

const BUDGET_PERIODS: readonly BudgetPeriod[] = ['hourly', 'daily', 'monthly'];
const ACTIONS = ['scale_up', 'scale_down', 'no_change'] as const;
const LINT_FAILING_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** What one scrape reads from the runtime: the cheap gauges always, the status when it answers. */
interface ScrapeSnapshot {
  gauges: GaugeSnapshot;
  status?: RuntimeStatus;
}

export interface AutoscalingMetricsOptions {
  /** Also register Node's default process metrics on the same registry. Default true. */
  defaultMetrics?: boolean;
  /** Told when `runtime.status()` fails during a scrape; the status-derived gauges then keep their last values. */
  onStatusError?: (err: unknown) => void;
}

export interface AutoscalingMetrics {
  /** Names of every metric this call registered (ours and the default process metrics). */
  readonly names: readonly string[];
  /** Removes all of them from the registry, so a new server can register again. */
  unregister(): void;
}

/**
 * Registers the autoscaler's metrics on `registry`. Throws (prom-client's own error) when a
 * metric of the same name is already registered there.
 */
export function createAutoscalingMetrics(
  registry: Registry,
  runtime: RuntimeApi,
  options: AutoscalingMetricsOptions = {},
): AutoscalingMetrics {
  const before = new Set(registry.getMetricsAsArray().map((m) => m.name));
  const registers = [registry];
  const snapshot = perScrape(async (): Promise<ScrapeSnapshot> => {
    const gauges = runtime.gauges();
    try {
      return { gauges, status: await runtime.status() };
    } catch (err) {
      options.onStatusError?.(err);
      return { gauges };
    }
  });

  const fromGauges = (name: string, help: string, pick: (g: GaugeSnapshot) => number): void => {
    new Gauge({
      name: METRIC_PREFIX + name, help, registers,
      async collect() { this.set(pick((await snapshot()).gauges)); },
    });
  };
  /** A gauge from the full status; unset (left as it was) when the status could not be read. */
  const fromStatus = (name: string, help: string, pick: (s: RuntimeStatus) => number): void => {
    new Gauge({
      name: METRIC_PREFIX + name, help, registers,
      async collect() {
        const { status } = await snapshot();
        if (status) this.set(pick(status));
      },
    });
  };
  const perPeriod = (name: string, help: string, pick: (s: ScrapeSnapshot, p: BudgetPeriod) => number | undefined): void => {
    new Gauge({
      name: METRIC_PREFIX + name, help, labelNames: ['period'] as const, registers,
      async collect() {
        const snap = await snapshot();
        // A period without a value (before the first tick) is left out rather than reported as 0.
        this.reset();
        for (const period of BUDGET_PERIODS) {
          const value = pick(snap, period);
          if (value !== undefined) this.set({ period }, value);
        }
      },
    });
  };

  /** Shadow mode: one series per fleet (observed, counterfactual); no samples outside shadow mode. */
  const perFleet = (name: string, help: string, pick: (f: ShadowFleetFigures) => number | undefined): void => {
    new Gauge({
      name: METRIC_PREFIX + name, help, labelNames: ['fleet'] as const, registers,
      async collect() {
        const shadow = (await snapshot()).status?.shadow;
        this.reset();
        for (const fleet of ['observed', 'counterfactual'] as const) {
          const figures = shadow?.[fleet];
          const value = figures ? pick(figures) : undefined;
          if (value !== undefined && Number.isFinite(value)) this.set({ fleet }, value);
        }
      },
    });
  };

  try {
    fromGauges('queue_depth', 'Validations waiting to start: not running yet (running ones are in_flight_validations); includes failed ones waiting out a retry backoff.', (g) => g.queueDepth);
    fromGauges('avg_latency_seconds', 'Mean processing time (start to end, not queue wait) of validations completed in the metrics window, in seconds; 0 before the first completion.', (g) => g.avgLatencySeconds);
    fromGauges('validations_per_minute', 'Validations completed per minute over the rate window (the last minute): throughput, not demand.', (g) => g.validationsPerMinute);
    fromGauges('active_workers', 'Workers provisioned (starting or ready), the count scaling is relative to.', (g) => g.activeWorkers);
    fromGauges('ready_workers', 'Workers ready to take validations.', (g) => g.readyWorkers);
    fromGauges('draining_workers', 'Workers finishing their last validation before stopping.', (g) => g.drainingWorkers);
    fromGauges('desired_workers', 'Workers the last decision asked for, after pause and override.', (g) => g.desiredWorkers);
    fromGauges('paused', '1 while scaling is paused through the control API, else 0.', (g) => (g.paused ? 1 : 0));
    fromGauges('fallback_active', '1 while the fleet is held because the metrics source failed fallback_after_ticks reads in a row, else 0.', (g) => (g.fallbackActive ? 1 : 0));
    fromGauges('metrics_source_failures', 'Consecutive failed reads of the metrics source (0 after a good read).', (g) => g.metricsSourceFailures);

    fromStatus('arrivals_per_minute', 'Validations enqueued per minute over the rate window (the last minute): the demand.', (s) => s.metrics?.arrivalsPerMinute ?? 0);
    fromStatus('in_flight_validations', 'Validations running: leased by a worker and not yet ended.', (s) => s.queue.inFlight);
    fromStatus('dead_lettered_validations', 'Validations that exhausted their attempts.', (s) => s.queue.deadLettered);
    fromStatus('predicted_validations_per_minute', 'Forecast demand at the prediction horizon, validations per minute (0 before the first forecast).', (s) => s.forecast?.predictedValidationsPerMinute ?? 0);
    fromStatus('prediction_confidence_ratio', 'Confidence of the latest forecast, 0..1 (0 before the first forecast).', (s) => s.forecast?.confidence ?? 0);
    fromStatus('override_active', '1 while a manual worker override applies, else 0.', (s) => (s.override ? 1 : 0));
    fromStatus('override_workers', 'Workers pinned by the active manual override; 0 when override_active is 0.', (s) => s.override?.workers ?? 0);

    perPeriod('budget_utilization', 'Spend divided by budget for the current period (1 = budget used up).', (s, p) => s.gauges.budgetUtilization[p]);
    perPeriod('budget_spend_dollars', 'Spend accrued in the current budget period, in dollars.', (s, p) => s.status?.budget?.[p].current);
    perPeriod('budget_limit_dollars', 'Budget of the current period, in dollars.', (s, p) => s.status?.budget?.[p].budget);

    perFleet('shadow_cost_dollars', 'Shadow mode: cost over the compared window of the observed fleet and of the fleet our policy would have run.', (f) => f.cost);
    perFleet('shadow_mean_workers', 'Shadow mode: mean paid workers over the compared window, observed and counterfactual.', (f) => f.meanWorkers);
    perFleet('shadow_peak_workers', 'Shadow mode: peak workers over the compared window, observed and counterfactual.', (f) => f.peakWorkers);
    perFleet('shadow_slo_attainment_ratio', 'Shadow mode: share of jobs within the SLO, observed and counterfactual.', (f) => f.sloAttainment);

    new Counter({
      name: `${METRIC_PREFIX}decisions_total`,
      help: 'Scaling decisions made since this controller started, by action.',
      labelNames: ['action'] as const,
      registers,
      async collect() {
        const { decisionsTotal } = (await snapshot()).gauges;
        // The runtime keeps the monotonic totals; copy them rather than counting twice.
        this.reset();
        for (const action of ACTIONS) this.inc({ action }, decisionsTotal[action]);
      },
    });

    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: registry });
      // prom-client names these gauges `_total`, which `promtool check metrics` rejects; the per-type
      // gauges it also exports (nodejs_active_handles{type} …) carry the same information.
      for (const name of LINT_FAILING_DEFAULT_METRICS) registry.removeSingleMetric(name);
    }
  } catch (err) {
    removeAdded(registry, before);
    throw err;
  }

  const names = registry.getMetricsAsArray().map((m) => m.name).filter((n) => !before.has(n));
  return {
    names,
    unregister: () => { for (const n of names) registry.removeSingleMetric(n); },
  };
}

function removeAdded(registry: Registry, before: ReadonlySet<string>): void {
  for (const m of registry.getMetricsAsArray()) if (!before.has(m.name)) registry.removeSingleMetric(m.name);
}

/**
 * Shares one load among all callers while it is pending. prom-client calls every metric's
 * `collect()` synchronously at the start of a scrape, so one scrape reads the runtime once
 * and every metric sees the same moment.
 */
function perScrape<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().finally(() => { pending = undefined; });
    return pending;
  };
}
