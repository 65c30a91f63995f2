/**
 * What the HTTP server (src/server/) needs from a running controller. The runtime implements it;
 * the server only reads status, flips the pause/override gates and reads gauge values per scrape.
 */
import type { BudgetPeriod, BudgetStatus, WorkloadPrediction } from '../autoscaling/types.js';
import type { DecisionRecord, FleetState, Observation } from './interfaces.js';
import type { Leadership, QueueCounts } from './ports.js';

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
  /** True once the store is open and the first tick has completed. */
  isReady(): boolean;
  /** Current gauge values for /metrics; never throws. */
  gauges(): GaugeSnapshot;
}
