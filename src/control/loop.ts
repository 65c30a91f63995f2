/**
 * The controller loop, written once: observe → decide → gate → actuate → record.
 * The live runtime drives it with real adapters and the wall clock; the simulator with
 * simulated adapters and a virtual clock. No decision logic lives here: the policy decides,
 * gates (pause, override, dry-run) only restrict what is applied.
 */
import type {
  Actuator, ControllerStore, DecisionRecord, FleetState, GateEffect, LoopClock, MetricsSource, Observation,
  PolicyOutput, ScalingPolicy,
} from './interfaces.js';
import { MetricsFallback, type FallbackSettings, type FallbackStatus } from './fallback.js';

/** Restricts the policy's target (pause, manual override …); returns a reason when it changes it. */
export interface Gate {
  readonly name: string;
  apply(target: number, current: FleetState, now: Date): { target: number; reason?: string };
}

export interface TickResult {
  at: Date;
  observation?: Observation;
  fleet: FleetState;
  decision?: PolicyOutput;
  /** Workers the actuator was asked for, after gates; undefined when nothing was applied. */
  applied?: number;
  /** The target after gates: what was applied, or would have been (dry-run, already there). */
  target?: number;
  /** The metrics read error (with or without a fallback decision), or an audit-log write error. */
  error?: string;
  /** Metrics-outage fallback, when configured. */
  fallback?: FallbackStatus;
}

export interface ControlLoopOptions {
  clock: LoopClock;
  source: MetricsSource;
  actuator: Actuator;
  policy: ScalingPolicy;
  /** Audit log and durable state; optional (the simulator runs without one). */
  store?: ControllerStore;
  /** Time between ticks in `run()`, milliseconds. */
  intervalMs: number;
  /** Decide and record, but never call the actuator. Default false. */
  dryRun?: boolean;
  /** Name the audit log gives to not acting: 'dry-run' (default) or 'shadow'. */
  dryRunGate?: string;
  gates?: readonly Gate[];
  /** Called after every tick, including failed ones; a returned promise is awaited before the next tick. Must not throw. */
  onTick?: (result: TickResult) => void | Promise<void>;
  /** Save the policy state every N ticks (when the store and policy support it). Default 1. */
  saveStateEveryTicks?: number;
  /** Hold the fleet after this many consecutive metrics-source failures (off when omitted). */
  fallback?: FallbackSettings;
}

export const POLICY_STATE_KEY = 'policy-state';

export class ControlLoop {
  private readonly opts: ControlLoopOptions;
  private lastSpendAt: Date | undefined;
  private lastPaidWorkers = 0;
  private ticks = 0;
  /** The tick in progress: ticks never overlap, whoever asks (the schedule, an operator, a test). */
  private current: Promise<TickResult> | undefined;
  private readonly fallback: MetricsFallback | undefined;

  constructor(opts: ControlLoopOptions) {
    if (!(opts.intervalMs > 0)) throw new Error(`intervalMs must be > 0; got ${String(opts.intervalMs)}`);
    this.opts = opts;
    this.fallback = opts.fallback ? new MetricsFallback(opts.fallback) : undefined;
  }

  /** The metrics-outage fallback's state (undefined when not configured). */
  fallbackStatus(): FallbackStatus | undefined {
    return this.fallback?.status();
  }

  /** Restores the policy's learned state from the store, if both support it. */
  async restore(): Promise<boolean> {
    const { store, policy } = this.opts;
    if (!store || !policy.importState) return false;
    const saved = await store.loadState(POLICY_STATE_KEY);
    if (saved === undefined) return false;
    policy.importState(saved);
    return true;
  }

  /** One evaluation, after the one in progress if any. Never throws: failures are reported in the result and nothing is actuated. */
  tick(): Promise<TickResult> {
    const prev = this.current;
    const next = (): Promise<TickResult> => this.evaluate();
    const run = prev === undefined ? next() : prev.then(next, next);
    this.current = run;
    run.then(() => { if (this.current === run) this.current = undefined; }, () => { if (this.current === run) this.current = undefined; });
    return run;
  }

  private async evaluate(): Promise<TickResult> {
    const { clock, source, actuator, policy } = this.opts;
    const now = clock.now();
    let fleet: FleetState = { provisioned: 0, ready: 0, draining: 0 };
    let result: TickResult;
    try {
      fleet = await actuator.fleet();
      this.accrueSpend(now, fleet);
      let observation: Observation | undefined;
      let readError: unknown;
      try {
        observation = await source.read(now);
      } catch (err) {
        readError = err;
      }
      if (observation === undefined) {
        const error = message(readError);
        const fb = this.fallback?.failed(error, now, fleet);
        if (!fb) throw readError;
        const action = fb.target > fleet.provisioned ? 'scale_up' : 'no_change';
        const out = await this.apply(now, fleet, { targetWorkers: fb.target, reasoning: [fb.reason], action }, fleet.provisioned);
        result = { at: now, ...out, error };
      } else {
        const recovered = this.fallback?.succeeded();
        const decided = policy.decide({ now, observation, fleet });
        const decision = recovered ? { ...decided, reasoning: [recovered, ...decided.reasoning] } : decided;
        result = { at: now, observation, ...await this.apply(now, fleet, decision, observation.activeWorkers) };
      }
    } catch (err) {
      result = { at: now, fleet, error: message(err) };
    }
    const fb = this.fallback?.status();
    if (fb) result = { ...result, fallback: fb };
    this.ticks++;
    const after = this.opts.onTick?.(result);
    if (after) await after;
    return result;
  }

  /** Gates, actuation (unless dry-run), audit record; a failed audit write is reported, not fatal. */
  private async apply(now: Date, current: FleetState, decision: PolicyOutput, currentWorkers: number): Promise<{
    fleet: FleetState; decision: PolicyOutput; target: number; applied?: number; error?: string;
  }> {
    const { actuator, store, policy } = this.opts;
    const { target, effects } = this.applyGates(decision.targetWorkers, current, now);
    const reasoning = [...decision.reasoning, ...effects.map((e) => e.reason)];
    const dryRun = this.opts.dryRun === true;
    let fleet = current;
    let applied: number | undefined;
    let error: string | undefined;
    if (!dryRun && target !== current.provisioned) {
      try {
        fleet = await actuator.scaleTo(target, reasoning);
        applied = target;
        this.lastPaidWorkers = fleet.provisioned + fleet.draining;
      } catch (err) {
        // The decision (and what it says, e.g. the end of a fallback) is still recorded, with why nothing changed.
        error = `actuation failed: ${message(err)}`;
        reasoning.push(`not applied: ${message(err)}`);
      }
    }
    const record: DecisionRecord = {
      at: now, action: decision.action, currentWorkers, targetWorkers: decision.targetWorkers,
      appliedWorkers: target, reasoning, dryRun,
      ...(effects.length > 0 ? { gates: effects } : {}),
      ...(decision.limits && decision.limits.length > 0 ? { limits: decision.limits } : {}),
    };
    if (store) {
      try {
        await store.appendDecision(record);
        await this.maybeSaveState(store, policy);
      } catch (err) {
        error = [error, `audit log write failed: ${message(err)}`].filter(Boolean).join('; ');
      }
    }
    return { fleet, decision: { ...decision, reasoning }, target, ...(applied !== undefined ? { applied } : {}), ...(error ? { error } : {}) };
  }

  /** Ticks every `intervalMs` until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const started = this.opts.clock.now().getTime();
      await this.tick();
      const elapsed = this.opts.clock.now().getTime() - started;
      await this.opts.clock.sleep(Math.max(0, this.opts.intervalMs - elapsed), signal);
    }
  }

  private accrueSpend(now: Date, fleet: FleetState): void {
    const paid = fleet.provisioned + fleet.draining;
    if (this.lastSpendAt !== undefined && this.opts.policy.recordSpend) {
      const seconds = (now.getTime() - this.lastSpendAt.getTime()) / 1000;
      // Workers are paid from the moment requested: the head-count after the last actuation held until now.
      if (seconds > 0) this.opts.policy.recordSpend(this.lastPaidWorkers * seconds, now);
    }
    this.lastSpendAt = now;
    this.lastPaidWorkers = paid;
  }

  private applyGates(target: number, fleet: FleetState, now: Date): { target: number; effects: GateEffect[] } {
    const effects: GateEffect[] = [];
    let t = target;
    for (const gate of this.opts.gates ?? []) {
      const out = gate.apply(t, fleet, now);
      if (out.target !== t || out.reason) {
        effects.push({ gate: gate.name, from: t, to: out.target, reason: out.reason ?? `${gate.name}: target ${t} -> ${out.target}` });
      }
      t = out.target;
    }
    if (this.opts.dryRun) {
      const gate = this.opts.dryRunGate ?? 'dry-run';
      effects.push({ gate, from: t, to: fleet.provisioned, reason: `${gate}: would scale ${fleet.provisioned} -> ${t}, not acting` });
    }
    return { target: t, effects };
  }

  private async maybeSaveState(store: ControllerStore, policy: ScalingPolicy): Promise<void> {
    const every = this.opts.saveStateEveryTicks ?? 1;
    if (policy.exportState && this.ticks % every === 0) {
      await store.saveState(POLICY_STATE_KEY, policy.exportState());
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
