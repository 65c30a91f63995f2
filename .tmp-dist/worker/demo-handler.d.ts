/**
 * DEMO HANDLER — performs no real validation. It only sleeps for a random, AI-provider-like
 * latency (lognormal) so the autoscaler has realistic work to scale for. Replace it with your
 * own module (`--handler ./my-validator.js` or `handler:` in the config).
 *
 * Tuning (environment, read per job so tests and demos can make it fast):
 *   BOUNTYBOT_DEMO_MEAN_SECONDS   mean latency, default 5
 *   BOUNTYBOT_DEMO_CV             coefficient of variation, default 0.5
 *   BOUNTYBOT_DEMO_FAILURE_RATE   share of attempts that throw (to exercise retries), default 0
 */
import type { ValidationContext, ValidationJob } from './handler.js';
export interface DemoLatency {
    meanSeconds: number;
    cv: number;
    failureRate: number;
}
export declare function demoLatencyFromEnv(): DemoLatency;
/** Lognormal sample with the given mean and coefficient of variation (Box-Muller). */
export declare function sampleLognormalSeconds(meanSeconds: number, cv: number, random?: () => number): number;
export declare function validate(job: ValidationJob, context: ValidationContext): Promise<unknown>;
