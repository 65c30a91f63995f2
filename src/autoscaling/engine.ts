/**
 * ScalingEngine: the brief's multi-factor decision, with targets sized by a queueing model.
 *
 * Stages, each adding its reason: sanitize → forecast → size → score → propose (panic | score)
 * → the limit stages of limits.ts (stabilize → budget → clamp → cooldown), each recorded in
 * `decision.limits` with its code. Pure and synchronous; time comes from the metrics' timestamp
 * (when plausible, see timestamps.ts) or the injected clock.
 */
import { planCapacity, type CapacityPlan } from './capacity.js';
import { CostOptimizer } from './cost.js';
import { estimateDemand, type DemandEstimate } from './demand.js';
import { BountybotError } from './errors.js';
import {
  budgetLimit, clampTarget, cooldown, cooldownRemainingMs, stabilize, type LastAction, type LimitResult, type LimitStage,
} from './limits.js';
import { WorkloadPredictor } from './predictor.js';
import { sanitizeMetrics, type CleanMetrics } from './sanitize.js';
import { resolveScalingConfig, type ScalingConfig, type ScalingConfigInput } from './scaling-config.js';
import { combineScores, latencyScore, predictionScore, queueScore } from './scores.js';
import { ENGINE_TIMESTAMP_TOLERANCE_MS, TimestampGuard } from './timestamps.js';
import {
  ScalingAction, systemClock, type Clock, type DecisionLimit, type ScalingDecision, type ScalingMetrics,
  type WorkloadPrediction, type WorkloadStatistics,
} from './types.js';

export interface ScalingEngineDeps {
  clock?: Clock;
  predictor?: WorkloadPredictor;
  costOptimizer?: CostOptimizer;
}

export interface EngineStatistics {
  workloadStats: WorkloadStatistics;
  lastDecision: { action: ScalingAction; targetWorkers: number; confidence: number; timestamp: Date } | null;
  inCooldown: boolean;
  cooldownRemainingMinutes: number;
  decisionCounts: Record<ScalingAction, number>;
  panicDecisions: number;
}

/** Everything the engine learns, for restarts: see exportState(). */
interface EngineStateV1 {
  version: 1;
  predictor: string;
  ledger: string;
  lastAction: LastAction | null;
  recommendations: Array<[number, number]>;
  lastKnownWorkers: number | null;
  decisionCounts: Record<ScalingAction, number>;
  panicDecisions: number;
}

/** Bound on remembered scale-down recommendations, whatever the call rate. */
const MAX_RECOMMENDATIONS = 2000;
const MS_PER_MINUTE = 60_000;
/** Fields a scale-down relies on: without them this round, the engine does not scale down. */
const SCALE_DOWN_FIELDS = ['queueDepth', 'avgLatencySeconds', 'activeWorkers'];

/**
 * The demand, per minute: `arrivalsPerMinute`. Without it, completions (`validationsPerMinute`)
 * stand in for it: in a steady state what completes is what arrived.
 */
export function demandPerMinute(m: Pick<CleanMetrics, 'arrivalsPerMinute' | 'validationsPerMinute'>): number | undefined {
  return m.arrivalsPerMinute ?? m.validationsPerMinute;
}

export class ScalingEngine {
  readonly config: ScalingConfig;
  readonly predictor: WorkloadPredictor;
  readonly costOptimizer: CostOptimizer;
  private readonly clock: Clock;
  private readonly cooldowns: { upMinutes: number; downMinutes: number };
  private readonly timestamps = new TimestampGuard(ENGINE_TIMESTAMP_TOLERANCE_MS);
  private lastAction: LastAction | null = null;
  private lastDecision: ScalingDecision | null = null;
  private recommendations: Array<[number, number]> = [];
  private lastKnownWorkers: number | null = null;
  private decisionCounts: Record<ScalingAction, number> = { scale_up: 0, scale_down: 0, no_change: 0 };
  private panicDecisions = 0;

  constructor(config: ScalingConfigInput = {}, deps: ScalingEngineDeps = {}) {
    this.config = resolveScalingConfig(config);
    this.clock = deps.clock ?? systemClock;
    const c = this.config;
    this.cooldowns = { upMinutes: c.scaleUpCooldownMinutes ?? c.cooldownMinutes, downMinutes: c.scaleDownCooldownMinutes ?? c.cooldownMinutes };
    this.predictor = deps.predictor ?? new WorkloadPredictor({
      historySize: this.config.historySize, clock: this.clock, timezone: this.config.timezone,
    });
    this.costOptimizer = deps.costOptimizer ?? new CostOptimizer(this.config.costConfig, { clock: this.clock });
  }

  /** Feeds one observation to the forecaster: its demand (see demandPerMinute). Never throws; garbage fields are dropped. */
  addMetrics(metrics: ScalingMetrics): void {
    const { metrics: m } = sanitizeMetrics(metrics);
    const rate = demandPerMinute(m);
    if (rate === undefined) return;
    this.predictor.addSample({
      timestamp: this.sampleTime(m.timestamp, null),
      validationsPerMinute: rate,
      queueDepth: m.queueDepth ?? 0,
      avgLatencySeconds: m.avgLatencySeconds ?? 0,
      activeWorkers: m.activeWorkers ?? this.lastKnownWorkers ?? 0,
      ...(m.cpuUsage !== undefined ? { cpuUsage: m.cpuUsage } : {}),
      ...(m.memoryUsage !== undefined ? { memoryUsage: m.memoryUsage } : {}),
    });
  }

  makeDecision(metrics: ScalingMetrics): ScalingDecision {
    const cfg = this.config;
    const { metrics: m, notes, missing } = sanitizeMetrics(metrics);
    const reasoning: string[] = [...notes];
    const now = this.sampleTime(m.timestamp, reasoning);
    const nowMs = now.getTime();

    const current = this.currentWorkers(m, reasoning);
    const serviceSeconds = m.avgLatencySeconds !== undefined && m.avgLatencySeconds > 0
      ? m.avgLatencySeconds : cfg.defaultServiceSeconds;
    const queue = m.queueDepth ?? 0;

    // Forecast: the score looks `predictionHorizonMinutes` ahead; sizing looks one worker start-up ahead.
    const prediction = this.predictor.predict(cfg.predictionHorizonMinutes);
    const demand = estimateDemand(this.predictor, demandPerMinute(m) ?? 0, cfg);
    const serviceCv = m.serviceTimeCv ?? 1;
    const plan = this.plan(demand.planned, serviceSeconds, queue, serviceCv);
    const forecastPlan = this.plan(demand.ahead, serviceSeconds, 0, serviceCv);
    const needed = clampTarget(plan.workers, cfg.minWorkers, cfg.maxWorkers).target;
    reasoning.push(plan.reason, ...demand.reasons);
    this.rememberRecommendation(nowMs, needed);

    const costPerHour = m.currentCostPerHour ?? current * cfg.costConfig.costPerWorkerHour;
    this.costOptimizer.updateRunRate(costPerHour);
    const effectiveQueue = Math.max(queue, prediction.predictedQueueDepth);
    const latency = (m.avgLatencySeconds ?? 0) + (m.oldestWaitSeconds ?? 0);
    const scores = combineScores(
      queueScore(effectiveQueue, cfg.targetQueueDepth),
      latencyScore(latency, cfg.targetLatencySeconds),
      predictionScore(forecastPlan.workers, current),
      this.costOptimizer.calculateCostScore(costPerHour, current),
    );
    reasoning.push(
      `Queue score: ${scores.queue.toFixed(2)}`, `Latency score: ${scores.latency.toFixed(2)}`,
      `Prediction score: ${scores.prediction.toFixed(2)}`, `Cost score: ${scores.cost.toFixed(2)}`,
      `Combined score: ${scores.combined.toFixed(2)}`,
    );

    // Propose. The drain test uses the planned (smoothed) rate: the last minute's raw count is too noisy to panic on.
    const panic = this.panicReason(plan, needed, current, queue, serviceSeconds, demand);
    let proposal = current;
    let scaleDownWanted = false;
    if (panic !== null) {
      proposal = Math.max(current, needed);
      this.panicDecisions++;
      reasoning.push(panic);
    } else if (scores.combined > cfg.scaleUpThreshold) {
      proposal = Math.max(current + 1, needed);
      reasoning.push(`Score ${scores.combined.toFixed(2)} > threshold ${cfg.scaleUpThreshold}`);
    } else if (scores.combined < cfg.scaleDownThreshold) {
      proposal = Math.min(needed, current);
      scaleDownWanted = true;
      reasoning.push(`Score ${scores.combined.toFixed(2)} < threshold ${cfg.scaleDownThreshold}`);
    } else {
      reasoning.push(`Score ${scores.combined.toFixed(2)} within stable range`);
    }

    // Limits, each recorded whether it changed the target or not.
    const limits: DecisionLimit[] = [];
    let target = proposal;
    const apply = (stage: LimitStage, r: LimitResult): LimitResult => {
      limits.push({ stage, code: r.code, message: r.message, from: target, to: r.target });
      target = r.target;
      if (!r.quiet) {
        if (stage === 'cooldown') reasoning.unshift(r.message);
        else reasoning.push(r.message);
      }
      return r;
    };
    apply('stabilize', stabilize({
      nowMs, current, desired: target, scaleDownWanted, recommendations: this.recommendations,
      metricsComplete: !SCALE_DOWN_FIELDS.some((f) => missing.includes(f)) && demandPerMinute(m) !== undefined,
      windowSeconds: cfg.scaleDownStabilizationSeconds, maxFraction: cfg.scaleDownMaxFraction, minWorkers: cfg.minWorkers,
    }));
    const budget = apply('budget', budgetLimit(current, target, this.costOptimizer.canScaleUp(current, Math.max(current, target))));
    apply('clamp', clampTarget(target, cfg.minWorkers, cfg.maxWorkers));
    apply('cooldown', cooldown({
      nowMs, current, target, lastAction: this.lastAction, ...this.cooldowns,
      minWorkers: cfg.minWorkers, maxWorkers: cfg.maxWorkers, panic: panic !== null, budgetTrimmed: budget.code !== 'BUDGET_OK',
    }));

    const action: ScalingAction = target > current ? ScalingAction.SCALE_UP
      : target < current ? ScalingAction.SCALE_DOWN : ScalingAction.NO_CHANGE;
    if (action === ScalingAction.SCALE_UP) reasoning.push(`Scaling up from ${current} to ${target} workers`);
    if (action === ScalingAction.SCALE_DOWN) reasoning.push(`Scaling down from ${current} to ${target} workers`);

    const decision: ScalingDecision = {
      action, targetWorkers: target, currentWorkers: current,
      confidence: this.confidence(prediction, scores.combined, panic !== null),
      reasoning, limits, scores, prediction, timestamp: now,
    };
    if (action !== ScalingAction.NO_CHANGE) this.lastAction = { atMs: nowMs, action, target };
    this.lastKnownWorkers = target;
    this.lastDecision = decision;
    this.decisionCounts[action]++;
    return decision;
  }

  getStatistics(): EngineStatistics {
    const { upMinutes, downMinutes } = this.cooldowns;
    const remaining = cooldownRemainingMs(this.clock().getTime(), this.lastAction, upMinutes, downMinutes);
    const d = this.lastDecision;
    return {
      workloadStats: this.predictor.getStatistics(),
      lastDecision: d ? { action: d.action, targetWorkers: d.targetWorkers, confidence: d.confidence, timestamp: d.timestamp } : null,
      inCooldown: remaining > 0,
      cooldownRemainingMinutes: remaining / MS_PER_MINUTE,
      decisionCounts: { ...this.decisionCounts },
      panicDecisions: this.panicDecisions,
    };
  }

  /** Records paid worker time in the budget ledger (accrual). */
  recordWorkerSeconds(workerSeconds: number, at?: Date): void {
    this.costOptimizer.recordWorkerSeconds(workerSeconds, at ?? this.clock());
  }

  /** The whole learned state (forecast, cooldown, stabilization window, ledger) as JSON. */
  exportState(): string {
    const state: EngineStateV1 = {
      version: 1, predictor: this.predictor.exportHistory(), ledger: this.costOptimizer.exportLedger(),
      lastAction: this.lastAction, recommendations: this.recommendations, lastKnownWorkers: this.lastKnownWorkers,
      decisionCounts: this.decisionCounts, panicDecisions: this.panicDecisions,
    };
    return JSON.stringify(state);
  }

  /**
   * Restores exportState() output into a new engine with the given config. A last action dated
   * implausibly far ahead of the clock is dropped (it would hold a cooldown for years).
   */
  static importState(json: string, config: ScalingConfigInput = {}, deps: { clock?: Clock } = {}): ScalingEngine {
    const state = JSON.parse(json) as Partial<EngineStateV1>;
    if (state.version !== 1 || typeof state.predictor !== 'string' || typeof state.ledger !== 'string') {
      throw new BountybotError('ENGINE_STATE_INVALID', `engine state: unsupported or corrupt (version=${String(state.version)})`);
    }
    const probe = resolveScalingConfig(config);
    const clock = deps.clock ?? systemClock;
    const predictor = WorkloadPredictor.importHistory(state.predictor, {
      historySize: probe.historySize, clock, timezone: probe.timezone,
    });
    const costOptimizer = new CostOptimizer(probe.costConfig, { clock });
    costOptimizer.importLedger(state.ledger);
    const engine = new ScalingEngine(config, { clock, predictor, costOptimizer });
    const last = state.lastAction ?? null;
    engine.lastAction = last !== null && last.atMs <= clock().getTime() + ENGINE_TIMESTAMP_TOLERANCE_MS ? last : null;
    engine.recommendations = Array.isArray(state.recommendations) ? state.recommendations.slice(-MAX_RECOMMENDATIONS) : [];
    engine.lastKnownWorkers = state.lastKnownWorkers ?? null;
    if (state.decisionCounts) engine.decisionCounts = { ...engine.decisionCounts, ...state.decisionCounts };
    engine.panicDecisions = state.panicDecisions ?? 0;
    return engine;
  }

  /** The metrics' timestamp when plausible, else the clock (saying why in `reasoning`). */
  private sampleTime(timestamp: Date | undefined, reasoning: string[] | null): Date {
    if (timestamp === undefined) return this.clock();
    const clock = this.clock();
    const verdict = this.timestamps.check(timestamp.getTime(), clock.getTime());
    if (verdict.ok) return timestamp;
    reasoning?.push(`timestamp ignored: ${verdict.reason}; using the engine clock`);
    return clock;
  }

  private plan(ratePerMinute: number, serviceSeconds: number, queue: number, serviceCv = 1): CapacityPlan {
    const cfg = this.config;
    return planCapacity({
      arrivalsPerMinute: ratePerMinute, serviceSeconds, queueDepth: queue, serviceCv,
      targetWaitSeconds: cfg.targetWaitSeconds, waitPercentile: cfg.waitPercentile,
      backlogDrainSeconds: cfg.backlogDrainSeconds, maxUtilization: cfg.maxUtilization,
    });
  }

  private currentWorkers(m: CleanMetrics, reasoning: string[]): number {
    if (m.activeWorkers !== undefined) return m.activeWorkers;
    const assumed = this.lastKnownWorkers ?? this.config.minWorkers;
    reasoning.push(`activeWorkers unknown: assuming ${assumed} (last target)`);
    return assumed;
  }

  /**
   * The score decides in ordinary conditions. It is overridden when the model shows the fleet
   * cannot serve the load: demand at or above capacity, a backlog that cannot drain in time,
   * or far fewer workers than needed (Knative-style panic).
   */
  private panicReason(plan: CapacityPlan, needed: number, current: number, queue: number, serviceSeconds: number,
    rates: DemandEstimate): string | null {
    if (needed <= current) return null;
    const cfg = this.config;
    const drainPerMinute = (current * 60) / serviceSeconds - rates.planned;
    let reason: string | null = null;
    if (current === 0) {
      reason = `Panic mode: no workers for ${rates.planned.toFixed(2)}/min and ${queue} waiting; scaling to ${needed}`;
    } else if (needed >= Math.ceil(current * cfg.panicThreshold)) {
      reason = `Panic mode: model needs ${needed} workers, ≥ ${cfg.panicThreshold}× the ${current} running; scaling to ${needed} regardless of score`;
    } else if (plan.offeredLoad >= current) {
      reason = `Panic mode: load ${plan.offeredLoad.toFixed(2)} workers ≥ fleet of ${current}, the queue would grow without bound; scaling to ${needed}`;
    } else if (queue > current && (drainPerMinute <= 0 || (queue / drainPerMinute) * 60 > cfg.backlogDrainSeconds)) {
      // A job or two waiting behind a busy fleet is ordinary queueing (Erlang C allows for it); a
      // backlog of more than one per worker that the fleet cannot clear in time is not.
      const drainSeconds = drainPerMinute > 0 ? ((queue / drainPerMinute) * 60).toFixed(0) : '∞';
      reason = `Panic mode: backlog of ${queue} would take ${drainSeconds}s to drain (target ${cfg.backlogDrainSeconds}s); scaling to ${needed}`;
    }
    if (reason === null) return null;
    // The same override, when it is the forecast (well above the load of now) that drives it.
    const forecastDriven = rates.ahead > rates.near * 1.5 && rates.ahead >= rates.planned;
    return forecastDriven
      ? `Predictive scale-up: forecast ${rates.ahead.toFixed(2)}/min within ${cfg.workerStartupSeconds + cfg.predictionHorizonMinutes * 60}s needs ${needed} workers (have ${current}; ${rates.near.toFixed(2)}/min now)`
      : reason;
  }

  private rememberRecommendation(nowMs: number, workers: number): void {
    const horizon = nowMs - this.config.scaleDownStabilizationSeconds * 1000;
    const recs = this.recommendations;
    let drop = 0;
    while (drop < recs.length && (recs[drop]?.[0] ?? Infinity) < horizon) drop++;
    if (drop > 0) recs.splice(0, drop);
    recs.push([nowMs, workers]);
    if (recs.length > MAX_RECOMMENDATIONS) recs.splice(0, recs.length - MAX_RECOMMENDATIONS);
  }

  private confidence(prediction: WorkloadPrediction, combined: number, panic: boolean): number {
    const fromForecast = prediction.confidence * 0.4;
    const fromScore = (panic ? 0.5 : Math.abs(combined - 0.5)) * 0.8;
    const fromData = Math.min(0.2, this.predictor.sampleCount / 100);
    return Math.min(1, Math.max(0, fromForecast + fromScore + fromData));
  }
}
