/**
 * Operator gates on the loop's target: pause (hold the fleet as it is) and a manual override
 * (pin the fleet for a while). Pure: time comes from the loop's clock through `apply`/`set`.
 */
import type { FleetState } from './interfaces.js';
import type { Gate } from './loop.js';
/** While paused the loop keeps deciding and logging, but the fleet stays as it is. */
export declare class PauseGate implements Gate {
    readonly name = "pause";
    private pausedAt;
    /** Idempotent: a second pause keeps the first time. */
    pause(now: Date): void;
    resume(): void;
    get paused(): boolean;
    get since(): Date | undefined;
    apply(target: number, current: FleetState): {
        target: number;
        reason?: string;
    };
}
export interface OverrideSetting {
    workers: number;
    ttlSeconds: number;
    expiresAt: Date;
}
/** Pins the fleet at `workers` until `ttlSeconds` after it was set; then the policy decides again. */
export declare class OverrideGate implements Gate {
    private readonly maxWorkers;
    private readonly maxTtlSeconds;
    readonly name = "override";
    private setting;
    constructor(maxWorkers: number, maxTtlSeconds?: number);
    /** Throws RangeError naming the field when a value is out of range. */
    set(workers: number, ttlSeconds: number, now: Date): OverrideSetting;
    /** Puts back a saved override (after a controller restart); an expired one is dropped at the next apply. */
    restore(setting: OverrideSetting): void;
    clear(): void;
    /** The override in force at `now`, if any. */
    active(now: Date): OverrideSetting | undefined;
    apply(target: number, _current: FleetState, now: Date): {
        target: number;
        reason?: string;
    };
}
