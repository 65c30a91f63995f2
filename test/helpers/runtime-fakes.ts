/** In-process fakes for runtime tests: a manual clock, a recording fleet, a simple policy. */
import type { FleetState, PolicyInput, ScalingPolicy } from '../../src/control/interfaces.js';
import type { ManagedPool } from '../../src/runtime/controller.js';
import { ManualClock } from './fake-clock.js';

/** The runtime tests' clock: sleeps end only when the test advances time. */
export class FakeClock extends ManualClock {}

/** Wants one worker per 10 waiting jobs (min 1); its "state" counts decisions. */
export class StandInPolicy implements ScalingPolicy {
  readonly name = 'stand-in';
  decisions = 0;
  spend = 0;
  decide(input: PolicyInput) {
    this.decisions++;
    const target = Math.max(1, Math.ceil(input.observation.queueDepth / 10));
    const action = target > input.fleet.provisioned ? 'scale_up' as const : target < input.fleet.provisioned ? 'scale_down' as const : 'no_change' as const;
    return { targetWorkers: target, action, reasoning: [`want ${target} for queue ${input.observation.queueDepth}`] };
  }
  recordSpend(workerSeconds: number): void { this.spend += workerSeconds; }
  exportState(): string { return JSON.stringify({ decisions: this.decisions }); }
  importState(s: string): void { this.decisions = (JSON.parse(s) as { decisions: number }).decisions; }
}

export class FakeFleet implements ManagedPool {
  state: FleetState = { provisioned: 0, ready: 0, draining: 0 };
  calls: number[] = [];
  adopt = 0;
  stoppedAll = false;
  fleet(): Promise<FleetState> { return Promise.resolve({ ...this.state }); }
  scaleTo(target: number): Promise<FleetState> {
    this.calls.push(target);
    this.state = { provisioned: target, ready: target, draining: 0 };
    return this.fleet();
  }
  start() {
    this.state = { provisioned: this.adopt, ready: this.adopt, draining: 0 };
    return Promise.resolve({ adopted: Array.from({ length: this.adopt }, (_, i) => `w${i}`), gone: [] });
  }
  stopAll(): Promise<void> { this.stoppedAll = true; this.state = { provisioned: 0, ready: 0, draining: 0 }; return Promise.resolve(); }
  close(): void {}
}
