/**
 * The live controller: the one ControlLoop driven by the wall clock with the store, the metrics
 * source and the process pool; operator gates (pause, override) that survive restarts; a
 * controller heartbeat that managed workers watch; spend accrued into the ledger, including the
 * time the controller was down while its workers kept running. Implements what the HTTP server needs.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetStatus, WorkloadPrediction } from '../autoscaling/types.js';
import { OverrideGate, PauseGate, type OverrideSetting } from '../control/gates.js';
import type {
  Actuator, ControllerMode, DecisionRecord, FleetState, LoopClock, MetricsSource, ScalingPolicy, TickHistory, TickHistoryPage,
} from '../control/interfaces.js';
import { ControlLoop, POLICY_STATE_KEY, type TickResult } from '../control/loop.js';

import {
  CONTROLLER_HEARTBEAT_KEY, type ControllerHeartbeat, type JobQueue, type Logger, type SpendLedger,
} from '../control/ports.js';
import type { ControllerStore } from '../control/interfaces.js';
import type {
  GaugeSnapshot, HistoryRequest, Objectives, RuntimeApi, RuntimeStatus, ShadowReporter,
} from '../control/runtime-api.js';
import type { TickRecorder } from '../control/tick-recorder.js';

export const GATES_STATE_KEY = 'operator-gates';

/** What the runtime can say about the policy beyond its decisions (ours: forecast and budgets). */
export interface PolicyInsight {
  forecast?(): WorkloadPrediction | undefined;
  budget?(): BudgetStatus | undefined;
}

/** The pool's lifecycle, when the controller owns one (not in dry-run). */
export interface ManagedPool extends Actuator {
  start(): Promise<{ adopted: string[]; gone: string[] }>;
  stopAll(timeoutMs?: number): Promise<void>;
  close(): void;
}

export interface ControllerRuntimeOptions {
  store: ControllerStore & SpendLedger;
  queue: JobQueue;
  source: MetricsSource;
  policy: ScalingPolicy;
  insight?: PolicyInsight;
  /** The fleet actuator; in dry-run a read-only view is enough (it is never asked to scale). */
  actuator: Actuator;
  /** Set when this controller owns the worker processes (adopt at start, drain at stop). */
  pool?: ManagedPool;
  clock: LoopClock;
  intervalMs: number;
  dryRun: boolean;
  maxWorkers: number;
  costPerWorkerHour: number;
  logger: Logger;
  instanceId?: string;
  /** Controller heartbeat period (managed workers stop when it goes silent), ms. Default 2000. */
  heartbeatMs?: number;
  /** Decisions listed in status(). Default 20. */
  statusDecisions?: number;
  onTick?: (result: TickResult, runtime: ControllerRuntime) => void;
  /** Periodic clean-up (old finished jobs, stopped worker rows), run every `housekeepingMs`. */
  housekeeping?: (now: Date) => Promise<void>;
  /** Default 300000 (5 minutes). */
  housekeepingMs?: number;
  /** Default: dry-run when `dryRun`, else live. */
  mode?: ControllerMode;
  objectives?: Objectives;
  /** The tick history the dashboard reads, and what writes a sample per tick. */
  history?: TickHistory;
  recorder?: Pick<TickRecorder, 'record'>;
  /** Shadow mode: the counterfactual of our policy on the observed arrivals. */
  shadow?: ShadowReporter;
}

/** Another live controller already manages this database. */
export class ControllerConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControllerConflictError';
  }
}

interface SavedGates {
  pausedAt?: string;
  override?: { workers: number; ttlSeconds: number; expiresAt: string };
}

export class ControllerRuntime implements RuntimeApi {
  readonly instanceId: string;
  private readonly o: ControllerRuntimeOptions;
  private readonly pauseGate = new PauseGate();
  private readonly overrideGate: OverrideGate;
  private readonly loop: ControlLoop;
  private readonly policy: ScalingPolicy;
  private last: TickResult | undefined;
  private desired = 0;
  private readonly totals = { scale_up: 0, scale_down: 0, no_change: 0 };
  private started = false;
  private stopping = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private tickChain: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;
  private scheduler: Promise<void> | undefined;
  private lastHousekeeping = 0;

  constructor(opts: ControllerRuntimeOptions) {
    this.o = opts;
    this.instanceId = opts.instanceId ?? randomUUID();
    this.overrideGate = new OverrideGate(opts.maxWorkers);
    this.policy = withSpendLedger(opts.policy, opts.store, opts.costPerWorkerHour);
    this.loop = new ControlLoop({
      clock: opts.clock, source: opts.source, actuator: opts.actuator, store: opts.store, policy: this.policy,
      intervalMs: opts.intervalMs, dryRun: opts.dryRun, gates: [this.overrideGate, this.pauseGate],
      ...(opts.mode === 'shadow' ? { dryRunGate: 'shadow' } : {}),
    });
  }

  /** Claims the database, restores state, adopts workers, then ticks every interval until stop(). */
  async start(): Promise<void> {
    const { logger, dryRun } = this.o;
    if (!dryRun) {
      await this.claimController();
      this.heartbeatTimer = setInterval(() => { void this.beat(); }, this.o.heartbeatMs ?? 2000);
    }
    await this.restoreGates();
    const restored = await this.loop.restore();
    const adoption = this.o.pool ? await this.o.pool.start() : { adopted: [], gone: [] };
    await this.accrueDowntime(adoption.adopted.length);
    logger.info({ instanceId: this.instanceId, dryRun, restoredPolicyState: restored, adopted: adoption.adopted.length,
      intervalMs: this.o.intervalMs }, 'controller started');
    this.started = true;
    await this.tickNow();
    this.scheduler = this.schedule();
  }

  /** Stops ticking; drains the workers (or leaves them for a restarted controller to adopt). */
  async stop(opts: { stopWorkers?: boolean; drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    await this.scheduler;
    await this.tickChain.catch(() => undefined);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    const pool = this.o.pool;
    if (pool) {
      if (opts.stopWorkers !== false) {
        this.o.logger.info({}, 'draining workers');
        await pool.stopAll(opts.drainTimeoutMs);
      }
      pool.close();
    }
    // Only a controller that started owns the saved state (a refused one must not overwrite it).
    const exp = this.started ? this.o.policy.exportState?.() : undefined;
    if (exp !== undefined) await this.o.store.saveState(POLICY_STATE_KEY, exp).catch(() => undefined);
    this.o.logger.info({ instanceId: this.instanceId }, 'controller stopped');
  }

  /** Runs one evaluation now (serialized with the scheduled ones). */
  tickNow(): Promise<TickResult> {
    const run = this.tickChain.then(() => this.doTick());
    this.tickChain = run.catch(() => undefined);
    return run;
  }

  // ----- RuntimeApi -----

  async status(): Promise<RuntimeStatus> {
    const now = this.o.clock.now();
    const [queue, decisions, fleet] = await Promise.all([
      this.o.queue.counts(),
      this.o.store.recentDecisions(this.o.statusDecisions ?? 20),
      this.o.actuator.fleet().catch((): FleetState => this.last?.fleet ?? { provisioned: 0, ready: 0, draining: 0 }),
    ]);
    const override = this.overrideGate.active(now);
    const forecast = this.o.insight?.forecast?.();
    const budget = this.o.insight?.budget?.();
    const shadow = this.o.shadow?.current();
    return {
      at: now.toISOString(), instanceId: this.instanceId, dryRun: this.o.dryRun, mode: this.mode,
      ...(this.o.objectives ? { objectives: this.o.objectives } : {}),
      ...(this.last?.observation ? { metrics: this.last.observation } : {}),
      ...(forecast ? { forecast } : {}),
      ...(budget ? { budget } : {}),
      fleet, desiredWorkers: this.desired, queue,
      pause: { paused: this.pauseGate.paused, ...(this.pauseGate.since ? { since: this.pauseGate.since.toISOString() } : {}) },
      ...(override ? { override: toOverrideState(override) } : {}),
      decisions,
      ...(this.last?.error ? { lastError: this.last.error } : {}),
      ...(shadow ? { shadow } : {}),
    };
  }

  pause(): void {
    this.pauseGate.pause(this.o.clock.now());
    this.o.logger.info({ operator: 'pause' }, 'paused: the fleet is held as it is');
    this.saveGates();
  }

  resume(): void {
    this.pauseGate.resume();
    this.o.logger.info({ operator: 'resume' }, 'resumed');
    this.saveGates();
    this.kick();
  }

  override(workers: number, ttlSeconds: number): void {
    const s = this.overrideGate.set(workers, ttlSeconds, this.o.clock.now());
    this.o.logger.info({ operator: 'override', ...toOverrideState(s) }, 'override set');
    this.saveGates();
    this.kick();
  }

  clearOverride(): void {
    this.overrideGate.clear();
    this.o.logger.info({ operator: 'clear-override' }, 'override cleared');
    this.saveGates();
    this.kick();
  }

  isReady(): boolean {
    return this.started && !this.stopping && this.last !== undefined;
  }

  gauges(): GaugeSnapshot {
    const obs = this.last?.observation;
    const fleet = this.last?.fleet ?? { provisioned: 0, ready: 0, draining: 0 };
    const budget = safe(() => this.o.insight?.budget?.());
    const budgetUtilization: GaugeSnapshot['budgetUtilization'] = {};
    if (budget) for (const p of ['hourly', 'daily', 'monthly'] as const) budgetUtilization[p] = budget[p].utilization;
    return {
      queueDepth: obs?.queueDepth ?? 0,
      validationsPerMinute: obs?.validationsPerMinute ?? 0,
      avgLatencySeconds: obs?.avgLatencySeconds ?? 0,
      activeWorkers: fleet.provisioned, readyWorkers: fleet.ready, drainingWorkers: fleet.draining,
      desiredWorkers: this.desired, budgetUtilization, decisionsTotal: { ...this.totals },
      paused: this.pauseGate.paused,
    };
  }

  history(request: HistoryRequest): Promise<TickHistoryPage> {
    const h = this.o.history;
    if (!h) {
      const empty: TickHistoryPage = {
        fromMs: request.fromMs, toMs: request.toMs, bucketMs: request.toMs - request.fromMs, points: [], markers: [],
        totals: { samples: 0, ended: 0, withinSlo: 0, actions: 0 },
      };
      return Promise.resolve(empty);
    }
    return h.tickHistory({ ...request, mode: this.mode });
  }

  decisionLog(limit: number): Promise<DecisionRecord[]> {
    return this.o.store.recentDecisions(limit);
  }

  get mode(): ControllerMode {
    return this.o.mode ?? (this.o.dryRun ? 'dry-run' : 'live');
  }

  // ----- internals -----

  private async doTick(): Promise<TickResult> {
    const result = await this.loop.tick();
    this.last = result;
    if (result.decision) {
      this.totals[result.decision.action]++;
      const [rec] = await this.o.store.recentDecisions(1);
      this.desired = rec?.appliedWorkers ?? result.decision.targetWorkers;
      const obs = result.observation;
      this.o.logger.info({
        decision: result.decision.action, currentWorkers: result.fleet.provisioned, targetWorkers: result.decision.targetWorkers,
        appliedWorkers: this.desired, acted: result.applied !== undefined, dryRun: this.o.dryRun,
        fleet: result.fleet, queueDepth: obs?.queueDepth, inFlight: obs?.inFlight, arrivalsPerMinute: round(obs?.arrivalsPerMinute),
        validationsPerMinute: round(obs?.validationsPerMinute), avgLatencySeconds: round(obs?.avgLatencySeconds),
        reasoning: result.decision.reasoning,
      }, 'decision');
    } else {
      this.o.logger.warn({ err: result.error }, 'evaluation failed; nothing changed');
    }
    await this.o.recorder?.record(result, result.decision ? this.desired : undefined);
    this.o.shadow?.refresh(result.at);
    this.o.onTick?.(result, this);
    await this.maybeHousekeep(result.at);
    return result;
  }

  private async maybeHousekeep(now: Date): Promise<void> {
    if (!this.o.housekeeping || now.getTime() - this.lastHousekeeping < (this.o.housekeepingMs ?? 300_000)) return;
    this.lastHousekeeping = now.getTime();
    try {
      await this.o.housekeeping(now);
    } catch (err) {
      this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'housekeeping failed');
    }
  }

  private async schedule(): Promise<void> {
    while (!this.stopping) {
      const started = this.o.clock.now().getTime();
      await new Promise<void>((resolve) => {
        const ms = Math.max(0, this.o.intervalMs - (this.o.clock.now().getTime() - started));
        const timer = setTimeout(done, ms);
        const self = this;
        function done(): void { clearTimeout(timer); self.wake = undefined; resolve(); }
        this.wake = done;
      });
      if (this.stopping) break;
      await this.tickNow();
    }
  }

  /** Evaluate soon (after an operator action) instead of waiting for the next interval. */
  private kick(): void {
    if (this.started && !this.stopping) this.wake?.();
  }

  private async claimController(): Promise<void> {
    const raw = await this.o.store.loadState(CONTROLLER_HEARTBEAT_KEY);
    const prev = raw === undefined ? undefined : (JSON.parse(raw) as ControllerHeartbeat);
    const hbMs = this.o.heartbeatMs ?? 2000;
    if (prev && prev.pid !== process.pid && pidAlive(prev.pid) && Date.now() - prev.at < 3 * hbMs + 5000) {
      throw new ControllerConflictError(`another controller (pid ${prev.pid}) is running on this database; stop it first`);
    }
    await this.beat();
  }

  private async beat(): Promise<void> {
    const hb: ControllerHeartbeat = { instanceId: this.instanceId, pid: process.pid, at: Date.now() };
    await this.o.store.saveState(CONTROLLER_HEARTBEAT_KEY, JSON.stringify(hb))
      .catch((err: unknown) => this.o.logger.warn({ err: String(err) }, 'controller heartbeat failed'));
  }

  /** Workers adopted after a crash were paid while no controller was counting: charge that gap. */
  private async accrueDowntime(adopted: number): Promise<void> {
    const last = await this.o.store.lastSpendAt();
    const now = this.o.clock.now();
    if (this.o.dryRun || adopted === 0 || last === undefined) return;
    const seconds = (now.getTime() - last.getTime()) / 1000;
    if (seconds > 0 && this.policy.recordSpend) {
      this.policy.recordSpend(adopted * seconds, now);
      this.o.logger.info({ adopted, seconds: Math.round(seconds) }, 'accrued spend for workers that ran while the controller was down');
    }
  }

  private async restoreGates(): Promise<void> {
    const raw = await this.o.store.loadState(GATES_STATE_KEY);
    if (raw === undefined) return;
    try {
      const g = JSON.parse(raw) as SavedGates;
      if (g.pausedAt) this.pauseGate.pause(new Date(g.pausedAt));
      if (g.override) this.overrideGate.restore({ ...g.override, expiresAt: new Date(g.override.expiresAt) });
    } catch (err) {
      this.o.logger.warn({ err: String(err) }, 'ignoring unreadable saved pause/override state');
    }
  }

  private saveGates(): void {
    const o = this.overrideGate.active(this.o.clock.now());
    const g: SavedGates = {
      ...(this.pauseGate.since ? { pausedAt: this.pauseGate.since.toISOString() } : {}),
      ...(o ? { override: toOverrideState(o) } : {}),
    };
    void this.o.store.saveState(GATES_STATE_KEY, JSON.stringify(g))
      .catch((err: unknown) => this.o.logger.warn({ err: String(err) }, 'could not save pause/override state'));
  }
}

/** The policy, with spend also appended to the durable ledger (dollars at the configured price). */
function withSpendLedger(policy: ScalingPolicy, ledger: SpendLedger, costPerWorkerHour: number): ScalingPolicy {
  return {
    name: policy.name,
    decide: (input) => policy.decide(input),
    recordSpend: (workerSeconds, now) => {
      policy.recordSpend?.(workerSeconds, now);
      void ledger.appendSpend({ at: now, workerSeconds, dollars: (workerSeconds / 3600) * costPerWorkerHour });
    },
    ...(policy.exportState ? { exportState: () => (policy.exportState as () => string)() } : {}),
    ...(policy.importState ? { importState: (s: string) => (policy.importState as (s: string) => void)(s) } : {}),
  };
}

function toOverrideState(s: OverrideSetting): { workers: number; ttlSeconds: number; expiresAt: string } {
  return { workers: s.workers, ttlSeconds: s.ttlSeconds, expiresAt: s.expiresAt.toISOString() };
}

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

function round(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v * 100) / 100;
}

function safe<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}
