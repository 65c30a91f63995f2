/**
 * What the HTTP server (src/server/) needs from a running controller. The runtime implements it;
 * the server only reads status, flips the pause/override gates and reads gauge values per scrape.
 */
import type { BudgetPeriod, BudgetStatus, WorkloadPrediction } from '../autoscaling/types.js';
import type { ControllerMode, DecisionRecord, FleetState, Observation, TickHistoryPage } from './interfaces.js';
import type { Leadership, QueueCounts } from './ports.js';
import type { FallbackStatus } from './fallback.js';

export type { QueueCounts };

export interface PauseState {
  paused: boolean;
  /** When pause() was last called, if paused. */
  since?: string;
}

export interface OverrideState {
  workers: number;
  ttlSeconds: number;
  /** ISO time at which the override stops applying. */
  expiresAt: string;
}

/** The targets a dashboard draws its lines at (from the config). */
export interface Objectives {
  /** The engine's latency score target (processing time), seconds. */
  targetLatencySeconds: number;
  /** End-to-end objective (enqueue → end), seconds, and the share of jobs that must meet it. */
  sloSeconds: number;
  sloTarget: number;
  /** `config` when slo_seconds / slo_target were configured, `default` when these are the defaults. */
  sloSource: 'config' | 'default';
  /** Budget share at which an alert is raised (cost_config.alert_threshold). */
  alertThreshold: number;
  costPerWorkerHour: number;
  evaluationIntervalSeconds: number;
  minWorkers: number;
  maxWorkers: number;
}

/** A history query as the HTTP API takes it; the runtime adds its own mode. */
export interface HistoryRequest {
  fromMs: number;
  toMs: number;
  maxPoints: number;
}

/** One fleet's figures over the shadow window. */
export interface ShadowFleetFigures {
  /** Dollars over the window (paid workers × price). */
  cost: number;
  workerHours: number;
  meanWorkers: number;
  peakWorkers: number;
  /** Jobs judged (arrived in the window and ended, or already late). */
  jobs: number;
  /** Share of `jobs` that finished within the SLO. */
  sloAttainment: number;
  /** p95 of enqueue → end, seconds, when jobs completed. */
  p95Seconds?: number;
}

/**
 * Shadow mode's report: the fleet as observed (scaled by something else) next to what our
 * policy would have run on the same arrivals, replayed through the simulator.
 */
export interface ShadowStatus {
  /** The window compared, ISO times (whole bins). */
  since: string;
  until: string;
  /** When the counterfactual was last computed, ISO. */
  computedAt?: string;
  sloSeconds: number;
  sloTarget: number;
  observed?: ShadowFleetFigures;
  counterfactual?: ShadowFleetFigures & { scaleActions: number };
  /** counterfactual.cost − observed.cost: negative when ours would have been cheaper. */
  costDifference?: number;
  /** What the simulation assumed (measured from the observed jobs where it says so). */
  settings?: {
    binSeconds: number; serviceTimeSeconds: number; serviceCv: number; startupSeconds: number; intervalSeconds: number;
    minWorkers: number; maxWorkers: number; seed: number; jobs: number;
  };
  /** Commands that reproduce the counterfactual from the database. */
  reproduce?: string;
  /** Workers over the window, observed and counterfactual (at most a few hundred points). */
  series: Array<{ at: number; observed: number | null; counterfactual: number | null }>;
  /** Why there is no counterfactual yet (too little history, no completed job …). */
  reason?: string;
  note: string;
  /** Wall time of the last simulation, ms, and where it ran (a worker thread keeps the loop free). */
  simulationMs?: number;
  simulationThread?: 'worker' | 'main';
}

/** Computes the shadow report now and then; the runtime asks for a refresh after each tick. */
export interface ShadowReporter {
  /** Starts a recomputation when the last one is old enough; never throws, never runs two at once. */
  refresh(now: Date): void;
  /** The latest report. */
  current(): ShadowStatus | undefined;
}

export interface RuntimeStatus {
  /** ISO time of this status. */
  at: string;
  /** Controller instance id (changes on every restart). */
  instanceId: string;
  dryRun: boolean;
  /**
   * Where this controller keeps pause/override, policy state and its audit log: `shared` (the
   * store every controller and restart reads) or `memory` (dry-run: lost on exit, never seen by
   * a live controller).
   */
  stateStorage: 'shared' | 'memory';
  /** The controller lease as this controller last saw it (absent in dry-run, which never takes it). */
  leadership?: Leadership;
  /** Which queue and which actuator this controller runs on (the dashboard lists them). */
  backend?: { queue: string; actuator: string; database?: string };
  /** live, dry-run or shadow (absent from runtimes that predate it). */
  mode?: ControllerMode;
  objectives?: Objectives;
  /** Latest observation the loop read (undefined before the first tick). */
  metrics?: Observation;
  /** The engine's latest forecast, when it produced one. */
  forecast?: WorkloadPrediction;
  budget?: BudgetStatus;
  fleet: FleetState;
  /** Workers the last decision asked for (after gates). */
  desiredWorkers: number;
  queue: QueueCounts;
  pause: PauseState;
  /** Active manual override, if any and not expired. */
  override?: OverrideState;
  /** Most recent first. */
  decisions: DecisionRecord[];
  /** Last tick error (e.g. metrics unreadable), if the last tick failed. */
  lastError?: string;
  /** Metrics-outage fallback, when configured: whether the fleet is being held on missing data. */
  fallback?: FallbackStatus;
  /** Set when the queue or store could not be read for this status (the rest is the last known). */
  backendError?: string;
  /** Shadow mode's counterfactual (only in shadow mode). */
  shadow?: ShadowStatus;
}

/** Values the server copies into prom gauges/counters on each scrape. Cheap and synchronous. */
export interface GaugeSnapshot {
  queueDepth: number;
  validationsPerMinute: number;
  avgLatencySeconds: number;
  activeWorkers: number;
  readyWorkers: number;
  drainingWorkers: number;
  desiredWorkers: number;
  /** Spend ÷ budget per period (0..1+); empty before the first tick. */
  budgetUtilization: Partial<Record<BudgetPeriod, number>>;
  /** Decisions made since this controller started, by action (monotonic counters). */
  decisionsTotal: Record<'scale_up' | 'scale_down' | 'no_change', number>;
  paused: boolean;
  /** True while the loop holds the fleet because the metrics source keeps failing. */
  fallbackActive: boolean;
  /** Consecutive failed reads of the metrics source (0 after a good one). */
  metricsSourceFailures: number;
  /** 1 while this replica holds the controller lease; undefined where there is no lease (dry-run). */
  leader?: boolean;
}

export interface RuntimeApi {
  status(): Promise<RuntimeStatus>;
  /** Stop acting on decisions (the loop keeps deciding and logging). Idempotent. */
  pause(): void;
  resume(): void;
  /**
   * Pin the fleet at `workers` for `ttlSeconds`. Throws RangeError naming the field
   * (`workers` must be an integer in [0, maxWorkers]; `ttlSeconds` an integer in [1, 86400]).
   */
  override(workers: number, ttlSeconds: number): void;
  /** Removes an active override. Idempotent. */
  clearOverride(): void;
  /** True once the store is open and the first tick has completed (never on a standby). */
  isReady(): boolean;
  /** The controller lease as this controller last saw it; undefined without one (dry-run). No I/O. */
  leadership?(): Leadership | undefined;
  /** Current gauge values for /metrics; never throws. */
  gauges(): GaugeSnapshot;
  /** The tick history for charts (absent when the runtime keeps none). */
  history?(request: HistoryRequest): Promise<TickHistoryPage>;
  /** The decision audit log, most recent first. */
  decisionLog?(limit: number): Promise<DecisionRecord[]>;
}
