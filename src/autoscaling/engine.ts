/**
 * ScalingEngine: the brief's multi-factor decision, with targets sized by a queueing model.
 *
 * Stages, each adding its reason: sanitize → forecast → size → score → (panic | score) →
 * stabilize (scale-down) → budget → clamp → cooldown. Pure and synchronous; time comes from
 * the metrics' timestamp or the injected clock.
 */
import { planCapacity, type CapacityPlan } from './capacity.js';
import { CostOptimizer } from './cost.js';
import { normalizeScalingConfigInput } from './engine-config.js';
import { WorkloadPredictor } from './predictor.js';
import { sanitizeMetrics, type CleanMetrics } from './sanitize.js';
import { resolveScalingConfig, type ScalingConfig, type ScalingConfigInput } from './scaling-config.js';
import { combineScores, latencyScore, predictionScore, queueScore } from './scores.js';
import {
  ScalingAction, systemClock, type Clock, type ScalingDecision, type ScalingMetrics, type WorkloadPrediction,
  type WorkloadStatistics,
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

/** Arrival rates (per minute) the sizing considers, with the reasons that explain them. */
interface DemandEstimate {
  near: number;
  ahead: number;
  planned: number;
  reasons: string[];
}

interface LastAction {
  atMs: number;
  action: ScalingAction;
  target: number;
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

/**
 * A burst: the last minute's arrivals are ≥ `ratio` × the forecast and beyond `sigmas` of its
 * Poisson noise. Sizing then moves `weight` of the way toward the measurement; a burst that lasts
 * a minute (as on the Azure LLM trace) is mostly absorbed by the backlog term, so following it
 * fully buys workers that arrive after it has passed. Chosen on the shared traces (BENCHMARKS.md).
 */
const BURST = Object.freeze({ ratio: 2, sigmas: 5, weight: 0.5 });

/** Bound on remembered scale-down recommendations, whatever the call rate. */
const MAX_RECOMMENDATIONS = 2000;
const MS_PER_MINUTE = 60_000;

export class ScalingEngine {
  readonly config: ScalingConfig;
  readonly predictor: WorkloadPredictor;
  readonly costOptimizer: CostOptimizer;
  private readonly clock: Clock;
  private lastAction: LastAction | null = null;
  private lastDecision: ScalingDecision | null = null;
  private recommendations: Array<[number, number]> = [];
  private lastKnownWorkers: number | null = null;
  private decisionCounts: Record<ScalingAction, number> = { scale_up: 0, scale_down: 0, no_change: 0 };
  private panicDecisions = 0;

  constructor(config: ScalingConfigInput = {}, deps: ScalingEngineDeps = {}) {
    this.config = resolveScalingConfig(normalizeScalingConfigInput(config));
    this.clock = deps.clock ?? systemClock;
    this.predictor = deps.predictor ?? new WorkloadPredictor({
      historySize: this.config.historySize, clock: this.clock, timezone: this.config.timezone,
    });
    this.costOptimizer = deps.costOptimizer ?? new CostOptimizer(this.config.costConfig, { clock: this.clock });
  }

  /** Feeds one observation to the forecaster. Never throws; garbage fields are dropped. */
  addMetrics(metrics: ScalingMetrics): void {
    const { metrics: m } = sanitizeMetrics(metrics);
    const rate = m.arrivalsPerMinute ?? m.validationsPerMinute;
    if (rate === undefined) return;
    this.predictor.addSample({
      timestamp: m.timestamp ?? this.clock(),
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
    const now = m.timestamp ?? this.clock();
    const nowMs = now.getTime();
    const reasoning: string[] = [...notes];

    const current = this.currentWorkers(m, reasoning);
    const serviceSeconds = m.avgLatencySeconds !== undefined && m.avgLatencySeconds > 0
      ? m.avgLatencySeconds : cfg.defaultServiceSeconds;
    const measuredRate = m.arrivalsPerMinute ?? m.validationsPerMinute ?? 0;
    const queue = m.queueDepth ?? 0;

    // Forecast: the score looks `predictionHorizonMinutes` ahead; sizing looks one worker start-up ahead.
    const prediction = this.predictor.predict(cfg.predictionHorizonMinutes);
    const demand = this.estimateDemand(measuredRate);
    const { ahead: aheadRate, planned: plannedRate } = demand;

    const serviceCv = m.serviceTimeCv ?? 1;
    const plan = this.plan(plannedRate, serviceSeconds, queue, serviceCv);
    const forecastPlan = this.plan(aheadRate, serviceSeconds, 0, serviceCv);
    const needed = this.clamp(plan.workers);
    reasoning.push(plan.reason, ...demand.reasons);
    this.rememberRecommendation(nowMs, needed);

    const costPerHour = m.currentCostPerHour ?? current * cfg.costConfig.costPerWorkerHour;
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

    // The drain test uses the planned (smoothed) rate: the last minute's raw count is too noisy to panic on.
    const panic = this.panicReason(plan, needed, current, queue, serviceSeconds, demand);
    const canScaleDown = !['queueDepth', 'avgLatencySeconds', 'activeWorkers'].some((f) => missing.includes(f))
      && (m.arrivalsPerMinute !== undefined || m.validationsPerMinute !== undefined);
    let target = current;
    if (panic !== null) {
      target = Math.max(current, needed);
      this.panicDecisions++;
      reasoning.push(panic);
    } else if (scores.combined > cfg.scaleUpThreshold) {
      target = Math.max(current + 1, needed);
      reasoning.push(`Score ${scores.combined.toFixed(2)} > threshold ${cfg.scaleUpThreshold}`);
    } else if (scores.combined < cfg.scaleDownThreshold) {
      reasoning.push(`Score ${scores.combined.toFixed(2)} < threshold ${cfg.scaleDownThreshold}`);
      target = canScaleDown ? this.stabilizedScaleDown(nowMs, current, reasoning) : current;
      if (!canScaleDown) reasoning.push('Not scaling down: metrics missing or invalid this round');
    } else {
      reasoning.push(`Score ${scores.combined.toFixed(2)} within stable range`);
    }

    target = this.applyBudget(current, target, reasoning);
    const clamped = this.clamp(target);
    if (clamped !== target) reasoning.push(`Clamp: ${target} outside [${cfg.minWorkers}, ${cfg.maxWorkers}] → ${clamped}`);
    target = clamped;

    let action: ScalingAction = target > current ? ScalingAction.SCALE_UP
      : target < current ? ScalingAction.SCALE_DOWN : ScalingAction.NO_CHANGE;
    const cooldown = this.cooldownNote(nowMs);
    if (cooldown !== null) {
      const blocked = action !== ScalingAction.NO_CHANGE && this.cooldownBlocks(action, nowMs, target, current, panic !== null);
      reasoning.unshift(cooldown + (blocked ? `; holding at ${current} workers (wanted ${target})` : ''));
      if (blocked) {
        action = ScalingAction.NO_CHANGE;
        target = current;
      }
    }
    if (action === ScalingAction.SCALE_UP) reasoning.push(`Scaling up from ${current} to ${target} workers`);
    if (action === ScalingAction.SCALE_DOWN) reasoning.push(`Scaling down from ${current} to ${target} workers`);

    const decision: ScalingDecision = {
      action, targetWorkers: target, currentWorkers: current,
      confidence: this.confidence(prediction, scores.combined, panic !== null),
      reasoning, scores, prediction, timestamp: now,
    };
    if (action !== ScalingAction.NO_CHANGE) this.lastAction = { atMs: nowMs, action, target };
    this.lastKnownWorkers = target;
    this.lastDecision = decision;
    this.decisionCounts[action]++;
    return decision;
  }

  getStatistics(): EngineStatistics {
    const nowMs = this.clock().getTime();
    const remaining = this.cooldownRemainingMs(nowMs);
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

  /** Restores exportState() output into a new engine with the given config. */
  static importState(json: string, config: ScalingConfigInput = {}, deps: { clock?: Clock } = {}): ScalingEngine {
    const state = JSON.parse(json) as Partial<EngineStateV1>;
    if (state.version !== 1 || typeof state.predictor !== 'string' || typeof state.ledger !== 'string') {
      throw new Error(`engine state: unsupported or corrupt (version=${String(state.version)})`);
    }
    const probe = resolveScalingConfig(normalizeScalingConfigInput(config));
    const clock = deps.clock ?? systemClock;
    const predictor = WorkloadPredictor.importHistory(state.predictor, {
      historySize: probe.historySize, clock, timezone: probe.timezone,
    });
    const costOptimizer = new CostOptimizer(probe.costConfig, { clock });
    costOptimizer.importLedger(state.ledger);
    const engine = new ScalingEngine(config, { clock, predictor, costOptimizer });
    engine.lastAction = state.lastAction ?? null;
    engine.recommendations = Array.isArray(state.recommendations) ? state.recommendations.slice(-MAX_RECOMMENDATIONS) : [];
    engine.lastKnownWorkers = state.lastKnownWorkers ?? null;
    if (state.decisionCounts) engine.decisionCounts = { ...engine.decisionCounts, ...state.decisionCounts };
    engine.panicDecisions = state.panicDecisions ?? 0;
    return engine;
  }

  /**
   * The arrival rate to size for: the forecast (now, and its peak one start-up ahead) once the
   * forecaster has history, the measurement before that.
   */
  private estimateDemand(measuredRate: number): DemandEstimate {
    const cfg = this.config;
    const startupMinutes = cfg.workerStartupSeconds / 60;
    if (this.predictor.sampleCount < 10) return { near: measuredRate, ahead: 0, planned: measuredRate, reasons: [] };
    const near = this.predictor.forecastMeanRate(0, Math.max(startupMinutes, 0.25));
    const ahead = this.peakForecastRate(startupMinutes, cfg.predictionHorizonMinutes);
    // The forecast's level needs about a minute of evidence to jump (level-shift.ts); a burst far
    // beyond it is sized on partly before that.
    const burst = measuredRate > BURST.ratio * near && measuredRate > near + BURST.sigmas * Math.sqrt(Math.max(near, 1));
    const burstRate = near + BURST.weight * (measuredRate - near);
    const reasons: string[] = [];
    if (burst) {
      reasons.push(`Burst: ${measuredRate.toFixed(2)}/min measured, ${(measuredRate / Math.max(near, 1e-9)).toFixed(1)}× the forecast's ${near.toFixed(2)}/min; sizing on ${burstRate.toFixed(2)}/min`);
    }
    if (ahead > near * 1.05) {
      reasons.push(`Forecast: up to ${ahead.toFixed(2)}/min expected ${cfg.workerStartupSeconds}–${cfg.workerStartupSeconds + cfg.predictionHorizonMinutes * 60}s ahead (now ${near.toFixed(2)}/min)`);
    }
    return { near, ahead, planned: Math.max(near, ahead, burst ? burstRate : 0), reasons };
  }

  /**
   * Highest one-minute mean forecast in (start, start + span]: workers asked for now are ready at
   * `start` and must carry the peak of what follows, not its average (a spike at 09:00 must not be
   * diluted by the quiet minutes before it).
   */
  private peakForecastRate(startMinutes: number, spanMinutes: number): number {
    let peak = 0;
    for (let from = startMinutes; from < startMinutes + spanMinutes - 1e-9; from += 1) {
      const to = Math.min(from + 1, startMinutes + spanMinutes);
      peak = Math.max(peak, this.predictor.forecastMeanRate(from, to));
    }
    return peak;
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
    rates: { planned: number; near: number; ahead: number }): string | null {
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

  /** Scale down toward the highest recommendation of the stabilization window, at most one step. */
  private stabilizedScaleDown(nowMs: number, current: number, reasoning: string[]): number {
    const cfg = this.config;
    const horizon = nowMs - cfg.scaleDownStabilizationSeconds * 1000;
    let highest = 0;
    for (const [at, workers] of this.recommendations) if (at >= horizon && workers > highest) highest = workers;
    const step = Math.max(1, Math.floor(current * cfg.scaleDownMaxFraction));
    const target = Math.max(highest, current - step, cfg.minWorkers);
    if (target >= current) {
      reasoning.push(`Stabilize: highest recommendation in the last ${cfg.scaleDownStabilizationSeconds}s is ${highest}; keeping ${current}`);
      return current;
    }
    reasoning.push(`Stabilize: highest recommendation in the last ${cfg.scaleDownStabilizationSeconds}s is ${highest}; step limit ${step} → ${target}`);
    return target;
  }

  private applyBudget(current: number, target: number, reasoning: string[]): number {
    const check = this.costOptimizer.canScaleUp(current, Math.max(current, target));
    if (check.allowed || check.maxAffordableWorkers >= target) {
      if (target > current) reasoning.push(`Budget: ${check.reason}`);
      return target;
    }
    const trimmed = Math.max(0, check.maxAffordableWorkers);
    reasoning.push(`Budget: ${check.reason}; target ${target} trimmed to ${trimmed} (affordable)`);
    return trimmed;
  }

  private clamp(workers: number): number {
    return Math.min(this.config.maxWorkers, Math.max(this.config.minWorkers, Math.round(workers)));
  }

  private cooldownRemainingMs(nowMs: number, direction?: 'up' | 'down'): number {
    if (!this.lastAction) return 0;
    const cfg = this.config;
    const up = cfg.scaleUpCooldownMinutes ?? cfg.cooldownMinutes;
    const down = cfg.scaleDownCooldownMinutes ?? cfg.cooldownMinutes;
    const minutes = direction === 'up' ? up : direction === 'down' ? down : Math.max(up, down);
    return Math.max(0, this.lastAction.atMs + minutes * MS_PER_MINUTE - nowMs);
  }

  private cooldownNote(nowMs: number): string | null {
    const remaining = this.cooldownRemainingMs(nowMs);
    if (remaining <= 0 || !this.lastAction) return null;
    return `In cooldown period (${(remaining / MS_PER_MINUTE).toFixed(1)} minutes remaining after ${this.lastAction.action} to ${this.lastAction.target} workers)`;
  }

  /** A cooldown blocks its direction, except to leave [min, max] or to go beyond a panic's last target. */
  private cooldownBlocks(action: ScalingAction, nowMs: number, target: number, current: number, panic: boolean): boolean {
    if (current < this.config.minWorkers || current > this.config.maxWorkers) return false;
    const direction = action === ScalingAction.SCALE_UP ? 'up' : 'down';
    if (this.cooldownRemainingMs(nowMs, direction) <= 0) return false;
    return !(panic && direction === 'up' && target > (this.lastAction?.target ?? 0));
  }

  private confidence(prediction: WorkloadPrediction, combined: number, panic: boolean): number {
    const fromForecast = prediction.confidence * 0.4;
    const fromScore = (panic ? 0.5 : Math.abs(combined - 0.5)) * 0.8;
    const fromData = Math.min(0.2, this.predictor.sampleCount / 100);
    return Math.min(1, Math.max(0, fromForecast + fromScore + fromData));
  }
}
