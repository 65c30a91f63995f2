/**
 * Our engine as a ScalingPolicy, so the one ControlLoop can drive it live or in simulation.
 */
import { ScalingEngine } from '../autoscaling/engine.js';
import type { ScalingConfigInput } from '../autoscaling/scaling-config.js';
import type { Clock, ScalingDecision } from '../autoscaling/types.js';
import type { ScalingPolicy } from './interfaces.js';
export interface EnginePolicyOptions {
    /** Policy name in reports. Default 'bountybot'. */
    name?: string;
    /** Time for budget periods and cooldowns when a metric lacks a timestamp; the simulator passes its virtual clock. */
    clock?: Clock;
    /** Called with every decision (logs, status, counters). */
    onDecision?: (decision: ScalingDecision) => void;
}
export interface EnginePolicy extends ScalingPolicy {
    readonly engine: ScalingEngine;
    readonly lastDecision: ScalingDecision | undefined;
}
export declare function createEnginePolicy(config?: ScalingConfigInput, opts?: EnginePolicyOptions): EnginePolicy;
