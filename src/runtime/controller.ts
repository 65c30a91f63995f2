/**
 * The live controller: the one ControlLoop, driven by `ControlLoop.run()` on a wakeable clock,
 * with the store, the metrics source and the process pool; operator gates (pause, override) that
 * survive restarts; the controller lease (one acting controller per store) and the heartbeat
 * managed workers watch, both on the same clock; spend accrued into the ledger, including the
 * time the controller was down while its workers kept running. Implements what the HTTP server needs.
 *
 * A non-acting controller (dry-run) never writes the shared store: its gates, policy state, audit
 * log and spend stay in memory (ShadowStore), and it neither takes the lease nor heartbeats.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetStatus, WorkloadPrediction } from '../autoscaling/types.js';
import { OverrideGate, PauseGate, type OverrideSetting } from '../control/gates.js';
import type {
  Actuator, ControllerMode, ControllerStore, DecisionRecord, FleetState, LoopClock, MetricsSource, ScalingPolicy, TickHistory,
  TickHistoryPage,
} from '../control/interfaces.js';
import { acquireLeadership, leaderOnly } from '../control/leadership.js';
import { ControlLoop, POLICY_STATE_KEY, type TickResult } from '../control/loop.js';
import type { FallbackSettings } from '../control/fallback.js';
import { fencedActuator, NotLeaderError } from '../control/fenced-actuator.js';
import {
  CONTROLLER_HEARTBEAT_KEY, type ControllerHeartbeat, type JobQueue, type LeaderElector, type Leadership, type Logger, type SpendLedger,
} from '../control/ports.js';
import type {
  GaugeSnapshot, HistoryRequest, Objectives, QueueCounts, RuntimeApi, RuntimeStatus, ShadowReporter,
} from '../control/runtime-api.js';
import { ShadowStore } from '../control/shadow-store.js';
import { emptyHistoryPage, type TickRecorder } from '../control/tick-recorder.js';
import { WakeableClock } from '../control/wakeable-clock.js';

export { ControllerConflictError } from '../control/leadership.js';

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
  /** The controller lease; required unless dry-run (a dry-run controller never takes it). */
  elector?: LeaderElector;
  clock: LoopClock;
  intervalMs: number;
  dryRun: boolean;
  maxWorkers: number;
  costPerWorkerHour: number;
  logger: Logger;
  instanceId?: string;
  /** Controller heartbeat and lease renewal period (managed workers stop when it goes silent), ms. Default 2000. */
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
  backend?: RuntimeStatus['backend'];
  objectives?: Objectives;
  /** The tick history the dashboard reads, and what writes a sample per tick. */
  history?: TickHistory;
  recorder?: Pick<TickRecorder, 'record'>;
  /** Shadow mode: the counterfactual of our policy on the observed arrivals. */
  shadow?: ShadowReporter;
  /**
   * Called once when another controller took the lease over (this one was stalled past its
   * expiry): the loop has stopped, nothing more is written; the caller should shut down without
   * stopping the workers (the new leader adopts them).
   */
  onLeaseLost?: (holder: string | undefined) => void;
  /** Hold the fleet after this many consecutive metrics-source failures (see control/fallback.ts). */
  fallback?: FallbackSettings;
  /**
   * Several controllers share the store (Redis): one that finds the lease held stands by — HTTP
   * up, /readyz 503 naming the leader, control API refused — and takes over when the lease runs
   * out, instead of exiting with a conflict.
   */
  standby?: boolean;
}

interface SavedGates {
  pausedAt?: string;
  override?: { workers: number; ttlSeconds: number; expiresAt: string };
}

export class ControllerRuntime implements RuntimeApi {
  readonly instanceId: string;
  private readonly o: ControllerRuntimeOptions;
  /** The shared store when acting; an in-memory overlay of it when not. */
  private readonly store: ControllerStore & SpendLedger;
  private readonly clock: WakeableClock;
  private readonly pauseGate = new PauseGate();
  private readonly overrideGate: OverrideGate;
  private readonly loop: ControlLoop;
  private readonly policy: ScalingPolicy;
  private readonly stopSignal = new AbortController();
  private last: TickResult | undefined;
  private desired = 0;
  private readonly totals = { scale_up: 0, scale_down: 0, no_change: 0 };
  private started = false;
  private stopping = false;
  private running: Promise<void> | undefined;
  private heartbeating: Promise<void> | undefined;
  private firstTick: ((r: TickResult) => void) | undefined;
  private lastHousekeeping = Number.NEGATIVE_INFINITY;
  private leaseLost = false;
  private leaseHeld = false;
  private campaigning: Promise<void> | undefined;
  private lastCounts: QueueCounts | undefined;

  constructor(opts: ControllerRuntimeOptions) {
    if (!opts.dryRun && opts.elector === undefined) throw new RangeError('an acting controller needs a leader elector (the controller lease)');
    this.o = opts;
    this.instanceId = opts.instanceId ?? randomUUID();
    this.store = opts.dryRun ? new ShadowStore(opts.store) : opts.store;
    this.clock = new WakeableClock(opts.clock);
    this.overrideGate = new OverrideGate(opts.maxWorkers);
    this.policy = withSpendLedger(opts.policy, this.store, opts.costPerWorkerHour);
    // A shared fence (Redis) refuses a superseded token in the store itself; otherwise the local lease check.
    const actuator = !opts.elector || opts.dryRun ? opts.actuator
      : opts.elector.fence ? fencedActuator(opts.actuator, opts.elector) : leaderOnly(opts.actuator, opts.elector, opts.clock);
    this.loop = new ControlLoop({
      clock: this.clock, source: opts.source, actuator, store: this.store, policy: this.policy,
      intervalMs: opts.intervalMs, dryRun: opts.dryRun, gates: [this.overrideGate, this.pauseGate],
      ...(opts.mode === 'shadow' ? { dryRunGate: 'shadow' } : {}),
      onTick: (r) => this.afterTick(r),
      ...(opts.fallback ? { fallback: opts.fallback } : {}),
    });
  }

  private get heartbeatMs(): number {
    return this.o.heartbeatMs ?? 2000;
  }

  /**
   * Takes the lease, restores state, adopts workers, runs the first evaluation, then keeps ticking
   * until stop(). A standby (see `standby`) returns at once and takes over in the background.
   */
  async start(): Promise<void> {
    if (!this.o.dryRun) {
      if (this.o.standby && !(await (this.o.elector as LeaderElector).tick(this.o.clock.now().getTime())).leader) {
        this.campaigning = this.campaign();
        return;
      }
      await this.claimLease();
    }
    await this.begin();
  }

  /** Stands by until the lease is ours, then starts acting (a fail-over). */
  private async campaign(): Promise<void> {
    const elector = this.o.elector as LeaderElector;
    const held = elector.current();
    this.o.logger.info({ leader: held.holder, identity: held.identity },
      'standby: another controller leads; taking over when its lease runs out');
    try {
      const lease = await acquireLeadership(elector, this.o.clock, {
        pollMs: Math.max(50, this.heartbeatMs / 2), maxWaitMs: Number.POSITIVE_INFINITY, signal: this.stopSignal.signal, standby: true,
      });
      this.leaseHeld = true;
      this.o.logger.warn({ identity: lease.identity, fencingToken: lease.token, previousLeader: held.holder },
        'took the controller lease over: this controller acts now');
      await this.begin();
    } catch (err) {
      if (this.stopping) return;
      this.o.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'take-over failed: giving the lease back and stopping');
      this.leaseLost = true;
      this.stopSignal.abort();
      await elector.release();
      this.o.onLeaseLost?.(undefined);
    }
  }

  private async begin(): Promise<void> {
    const { logger, dryRun } = this.o;
    if (!dryRun) {
      await this.writeHeartbeat();
      this.heartbeating = this.heartbeatLoop(this.stopSignal.signal);
      await this.restoreGates();
    }
    const restored = await this.loop.restore();
    const adoption = this.o.pool ? await this.o.pool.start() : { adopted: [], gone: [] };
    await this.accrueDowntime(adoption.adopted.length);
    logger.info({ instanceId: this.instanceId, dryRun, restoredPolicyState: restored, adopted: adoption.adopted.length,
      intervalMs: this.o.intervalMs, ...(dryRun ? { state: 'memory only (dry-run never writes the shared store)' } : {}) },
    'controller started');
    this.started = true;
    const first = new Promise<TickResult>((resolve) => { this.firstTick = resolve; });
    this.running = this.loop.run(this.stopSignal.signal);
    await Promise.race([first, this.running]); // a stop() before the first tick ends the wait too
  }

  /** True while this controller only stands by (another one holds the lease). */
  get standingBy(): boolean {
    return this.campaigning !== undefined && !this.leaseHeld && !this.stopping;
  }

  /** Stops ticking; drains the workers (or leaves them for a restarted controller to adopt); gives the lease up. */
  async stop(opts: { stopWorkers?: boolean; drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopSignal.abort();
    await this.campaigning;
    await this.running;
    await this.heartbeating;
    const pool = this.o.pool;
    if (pool) {
      if (opts.stopWorkers !== false) {
        this.o.logger.info({}, 'draining workers');
        await pool.stopAll(opts.drainTimeoutMs);
      }
      pool.close();
    }
    // Only a controller that started owns the saved state (a refused one must not overwrite it).
    const exp = this.started && !this.leaseLost ? this.o.policy.exportState?.() : undefined;
    if (exp !== undefined) await this.store.saveState(POLICY_STATE_KEY, exp).catch(() => undefined);
    if (this.leaseHeld && !this.leaseLost) await this.o.elector?.release();
    this.o.logger.info({ instanceId: this.instanceId }, 'controller stopped');
  }

  /** Runs one evaluation now (after the one in progress, if any). */
  tickNow(): Promise<TickResult> {
    return this.loop.tick();
  }

  // ----- RuntimeApi -----

  async status(): Promise<RuntimeStatus> {
    const now = this.o.clock.now();
    let backendError: string | undefined;
    const lastKnown = <T>(value: T) => (err: unknown): T => {
      backendError ??= err instanceof Error ? err.message : String(err);
      return value;
    };
    // During a store outage the status still answers (and says so): it is how an operator sees the fallback.
    const [queue, decisions, fleet] = await Promise.all([
      this.o.queue.counts().then((c) => { this.lastCounts = c; return c; })
        .catch(lastKnown(this.lastCounts ?? { waiting: 0, inFlight: 0, completed: 0, deadLettered: 0 })),
      this.store.recentDecisions(this.o.statusDecisions ?? 20).catch(lastKnown([])),
      this.o.actuator.fleet().catch((): FleetState => this.last?.fleet ?? { provisioned: 0, ready: 0, draining: 0 }),
    ]);
    const fallback = this.loop.fallbackStatus();
    const override = this.overrideGate.active(now);
    const forecast = this.o.insight?.forecast?.();
    const budget = this.o.insight?.budget?.();
    const lease = this.o.dryRun ? undefined : this.o.elector?.current();
    const shadow = this.o.shadow?.current();
    return {
      at: now.toISOString(), instanceId: this.instanceId, dryRun: this.o.dryRun, mode: this.mode,
      stateStorage: this.o.dryRun ? 'memory' : 'shared',
      ...(lease ? { leadership: lease } : {}),
      ...(this.o.objectives ? { objectives: this.o.objectives } : {}),
      ...(this.o.backend ? { backend: this.o.backend } : {}),
      ...(this.last?.observation ? { metrics: this.last.observation } : {}),
      ...(forecast ? { forecast } : {}),
      ...(budget ? { budget } : {}),
      fleet, desiredWorkers: this.desired, queue,
      pause: { paused: this.pauseGate.paused, ...(this.pauseGate.since ? { since: this.pauseGate.since.toISOString() } : {}) },
      ...(override ? { override: toOverrideState(override) } : {}),
      decisions,
      ...(this.last?.error ? { lastError: this.last.error } : {}),
      ...(fallback ? { fallback } : {}),
      ...(backendError !== undefined ? { backendError } : {}),
      ...(shadow ? { shadow } : {}),
    };
  }

  pause(): void {
    this.refuseWhileStandingBy('pause');
    this.pauseGate.pause(this.o.clock.now());
    this.o.logger.info({ operator: 'pause' }, 'paused: the fleet is held as it is');
    this.saveGates();
  }

  resume(): void {
    this.refuseWhileStandingBy('resume');
    this.pauseGate.resume();
    this.o.logger.info({ operator: 'resume' }, 'resumed');
    this.saveGates();
    this.kick();
  }

  override(workers: number, ttlSeconds: number): void {
    this.refuseWhileStandingBy('override');
    const s = this.overrideGate.set(workers, ttlSeconds, this.o.clock.now());
    this.o.logger.info({ operator: 'override', ...toOverrideState(s) }, 'override set');
    this.saveGates();
    this.kick();
  }

  clearOverride(): void {
    this.refuseWhileStandingBy('clear the override');
    this.overrideGate.clear();
    this.o.logger.info({ operator: 'clear-override' }, 'override cleared');
    this.saveGates();
    this.kick();
  }

  isReady(): boolean {
    return this.started && !this.stopping && !this.leaseLost && this.last !== undefined;
  }

  leadership(): Leadership | undefined {
    return this.o.dryRun ? undefined : this.o.elector?.current();
  }

  /** Gates live in the leader: a standby would save ones the leader never reads. */
  private refuseWhileStandingBy(what: string): void {
    if (!this.standingBy) return;
    const holder = this.o.elector?.current().holder;
    throw new NotLeaderError(`cannot ${what} on a standby controller; ${holder ?? 'another controller'} leads: send it there`);
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
      fallbackActive: this.last?.fallback?.active === true, metricsSourceFailures: this.last?.fallback?.consecutiveFailures ?? 0,
      ...(this.o.elector && !this.o.dryRun ? { leader: this.o.elector.current().leader } : {}),
    };
  }

  history(request: HistoryRequest): Promise<TickHistoryPage> {
    return this.o.history ? this.o.history.tickHistory({ ...request, mode: this.mode }) : Promise.resolve(emptyHistoryPage(request));
  }

  decisionLog(limit: number): Promise<DecisionRecord[]> {
    return this.store.recentDecisions(limit);
  }

  get mode(): ControllerMode {
    return this.o.mode ?? (this.o.dryRun ? 'dry-run' : 'live');
  }

  // ----- internals -----

  /** Inside the loop's tick (ticks never overlap): logs, counters, housekeeping. Never throws. */
  private async afterTick(result: TickResult): Promise<void> {
    this.last = result;
    try {
      if (result.decision) {
        this.totals[result.decision.action]++;
        this.desired = result.target ?? result.decision.targetWorkers;
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
    } catch (err) {
      this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'after-tick bookkeeping failed');
    } finally {
      this.firstTick?.(result);
      this.firstTick = undefined;
    }
  }

  private async maybeHousekeep(now: Date): Promise<void> {
    if (this.o.dryRun || !this.o.housekeeping || now.getTime() - this.lastHousekeeping < (this.o.housekeepingMs ?? 300_000)) return;
    this.lastHousekeeping = now.getTime();
    try {
      await this.o.housekeeping(now);
    } catch (err) {
      this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'housekeeping failed');
    }
  }

  /** Evaluate soon (after an operator action) instead of waiting for the next interval. */
  private kick(): void {
    if (this.started && !this.stopping) this.clock.wake();
  }

  private async claimLease(): Promise<void> {
    const elector = this.o.elector as LeaderElector;
    const pollMs = Math.max(50, this.heartbeatMs / 2);
    const lease = await acquireLeadership(elector, this.o.clock, {
      pollMs, maxWaitMs: 10 * this.heartbeatMs, signal: this.stopSignal.signal,
      onWait: (held) => this.o.logger.warn({ holder: held.holder, leaseExpiresAt: held.expiresAt },
        'another controller holds the lease on this database: waiting to see whether it renews (alive) or expires (dead)'),
    });
    this.leaseHeld = true;
    this.o.logger.info({ identity: lease.identity, fencingToken: lease.token }, 'controller lease acquired');
  }

  /** Renews the lease and writes the heartbeat every heartbeat period of the loop's clock. */
  private async heartbeatLoop(signal: AbortSignal): Promise<void> {
    const elector = this.o.elector as LeaderElector;
    while (!signal.aborted) {
      await this.o.clock.sleep(this.heartbeatMs, signal);
      if (signal.aborted) break;
      const lease = await elector.tick(this.o.clock.now().getTime());
      if (lease.leader) {
        await this.writeHeartbeat();
      } else if (lease.holder !== undefined && lease.holder !== lease.identity) {
        this.o.logger.error({ holder: lease.holder }, 'another controller took the lease over: stopping this one (it no longer acts or writes)');
        this.leaseLost = true;
        this.stopSignal.abort();
        this.o.onLeaseLost?.(lease.holder);
        return;
      }
    }
  }

  private async writeHeartbeat(): Promise<void> {
    const hb: ControllerHeartbeat = { instanceId: this.instanceId, pid: process.pid, at: this.o.clock.now().getTime() };
    await this.store.saveState(CONTROLLER_HEARTBEAT_KEY, JSON.stringify(hb))
      .catch((err: unknown) => this.o.logger.warn({ err: String(err) }, 'controller heartbeat failed'));
  }

  /** Workers adopted after a crash were paid while no controller was counting: charge that gap. */
  private async accrueDowntime(adopted: number): Promise<void> {
    const last = await this.store.lastSpendAt();
    const now = this.o.clock.now();
    if (this.o.dryRun || adopted === 0 || last === undefined) return;
    const seconds = (now.getTime() - last.getTime()) / 1000;
    if (seconds > 0 && this.policy.recordSpend) {
      this.policy.recordSpend(adopted * seconds, now);
      this.o.logger.info({ adopted, seconds: Math.round(seconds) }, 'accrued spend for workers that ran while the controller was down');
    }
  }

  private async restoreGates(): Promise<void> {
    const raw = await this.store.loadState(GATES_STATE_KEY);
    if (raw === undefined) return;
    try {
      const g = JSON.parse(raw) as SavedGates;
      if (g.pausedAt) this.pauseGate.pause(new Date(g.pausedAt));
      if (g.override) {
        const r = this.overrideGate.restore({ ...g.override, expiresAt: new Date(g.override.expiresAt) });
        if (r.clampedFrom !== undefined) {
          this.o.logger.warn({ saved: r.clampedFrom, restored: r.setting.workers, maxWorkers: this.o.maxWorkers },
            `restored override of ${r.clampedFrom} workers is above max_workers ${this.o.maxWorkers}: clamped to ${r.setting.workers}`);
          this.saveGates();
        }
      }
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
    void this.store.saveState(GATES_STATE_KEY, JSON.stringify(g))
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
      // The in-memory budget has it either way; a store outage only loses the durable copy of this entry.
      ledger.appendSpend({ at: now, workerSeconds, dollars: (workerSeconds / 3600) * costPerWorkerHour }).catch(() => undefined);
    },
    ...(policy.exportState ? { exportState: () => (policy.exportState as () => string)() } : {}),
    ...(policy.importState ? { importState: (s: string) => (policy.importState as (s: string) => void)(s) } : {}),
  };
}

function toOverrideState(s: OverrideSetting): { workers: number; ttlSeconds: number; expiresAt: string } {
  return { workers: s.workers, ttlSeconds: s.ttlSeconds, expiresAt: s.expiresAt.toISOString() };
}

function round(v: number | undefined): number | undefined {
  return v === undefined ? undefined : Math.round(v * 100) / 100;
}

function safe<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}
