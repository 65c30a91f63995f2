import { searchLargestTarget } from '../search.js';
import { createHpaPolicy } from './hpa.js';
/**
 * Range of queue targets searched: 0.25 … max(20, 2 × SLO ÷ mean service time) jobs per worker
 * (beyond that each worker's own queue alone would exceed the SLO twice over).
 */
export function tuneRange(ctx) {
    return { lo: 0.25, hi: Math.max(20, (2 * ctx.settings.sloSeconds) / ctx.workload.serviceTimeSeconds), iterations: 8 };
}
export const hpaTunedDefinition = {
    name: 'hpa-tuned',
    description: 'HPA with the queue-per-pod target (and metric set) tuned to meet the SLO target at least cost',
    async run(ctx) {
        const c = ctx.config;
        const min = Math.max(1, c.minWorkers);
        const max = ctx.settings.maxWorkers;
        const { lo, hi, iterations } = tuneRange(ctx);
        const queueOnly = await searchLargestTarget(ctx, lo, hi, iterations, (q) => () => ({
            policy: createHpaPolicy({ name: 'hpa-tuned', minReplicas: min, maxReplicas: max, queueTarget: q, queueOnly: true }),
            initialWorkers: ctx.warmStart(min, max),
            params: { queueTarget: q, queueOnly: 1 },
        }), 'queueTarget');
        const manifest = await searchLargestTarget(ctx, lo, hi, iterations, (q) => () => ({
            policy: createHpaPolicy({
                name: 'hpa-tuned', minReplicas: min, maxReplicas: max, queueTarget: q,
                latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70,
            }),
            initialWorkers: ctx.warmStart(min, max),
            params: { queueTarget: q, latencyTargetSeconds: c.targetLatencySeconds, cpuTargetPercent: 70 },
        }), 'queueTarget', queueOnly);
        const pick = manifest.summary.cost < queueOnly.summary.cost && manifest.aborted === undefined
            && manifest.summary.sloAttainment >= ctx.settings.sloTarget ? manifest : queueOnly;
        return {
            ...pick,
            search: [...(queueOnly.search ?? []), ...(manifest.search ?? [])],
            simulations: queueOnly.simulations + manifest.simulations,
        };
    },
};
//# sourceMappingURL=hpa-tuned.js.map