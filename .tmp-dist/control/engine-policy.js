/**
 * Our engine as a ScalingPolicy, so the one ControlLoop can drive it live or in simulation.
 */
import { ScalingEngine } from '../autoscaling/engine.js';
export function createEnginePolicy(config = {}, opts = {}) {
    const deps = opts.clock ? { clock: opts.clock } : {};
    let engine = new ScalingEngine(config, deps);
    let lastDecision;
    return {
        name: opts.name ?? 'bountybot',
        get engine() { return engine; },
        get lastDecision() { return lastDecision; },
        decide(input) {
            const { observation, fleet, now } = input;
            const metrics = {
                ...observation,
                timestamp: now,
                activeWorkers: fleet.provisioned,
                readyWorkers: fleet.ready,
            };
            engine.addMetrics(metrics);
            const decision = engine.makeDecision(metrics);
            lastDecision = decision;
            opts.onDecision?.(decision);
            return { targetWorkers: decision.targetWorkers, reasoning: decision.reasoning, action: decision.action };
        },
        recordSpend(workerSeconds, now) {
            engine.recordWorkerSeconds(workerSeconds, now);
        },
        exportState() {
            return engine.exportState();
        },
        importState(state) {
            engine = ScalingEngine.importState(state, config, deps);
        },
    };
}
//# sourceMappingURL=engine-policy.js.map