import { OriginalWorkloadPredictor } from '../original-forecaster.js';
/** Linear ramp used by every original score: 0 at ≤ ½ target, 1 at ≥ 2 × target. */
export function rampScore(value, target) {
    if (value <= target * 0.5)
        return 0;
    if (value >= target * 2)
        return 1;
    return (value - target * 0.5) / (target * 1.5);
}
/** The original's cost score from hourly budget utilization. */
export function originalCostScore(costPerHour, hourlyBudget) {
    const u = costPerHour / hourlyBudget;
    if (u < 0.5)
        return 0;
    if (u > 0.9)
        return 1;
    return (u - 0.5) / 0.4;
}
export class OriginalEngine {
    c;
    predictor;
    lastActionMs;
    constructor(c) {
        this.c = c;
        this.predictor = new OriginalWorkloadPredictor(c.historySize);
    }
    addMetrics(m) {
        this.predictor.addSample(m);
    }
    makeDecision(m) {
        const c = this.c;
        const nowMs = m.timestamp.getTime();
        if (this.lastActionMs !== undefined) {
            const elapsedMin = (nowMs - this.lastActionMs) / 60_000;
            if (elapsedMin < c.cooldownMinutes) {
                return {
                    action: 'no_change', targetWorkers: m.activeWorkers,
                    reasoning: [`In cooldown period (${(c.cooldownMinutes - elapsedMin).toFixed(1)} minutes remaining)`],
                };
            }
        }
        const prediction = this.predictor.predict(5, m.timestamp);
        const queue = rampScore(Math.max(m.queueDepth, prediction.predictedQueueDepth), c.targetQueueDepth);
        const latency = rampScore(m.avgLatencySeconds, c.targetLatencySeconds);
        const pred = rampScore(prediction.predictedValidationsPerMinute, 1);
        const cost = originalCostScore(m.currentCostPerHour, c.hourlyBudget);
        const combined = 0.4 * queue + 0.25 * latency + 0.2 * pred + 0.15 * cost;
        const reasoning = [
            `Queue score: ${queue.toFixed(2)}`, `Latency score: ${latency.toFixed(2)}`,
            `Prediction score: ${pred.toFixed(2)}`, `Cost score: ${cost.toFixed(2)}`, `Combined score: ${combined.toFixed(2)}`,
        ];
        let action = 'no_change';
        let target = m.activeWorkers;
        const rate = prediction.predictedValidationsPerMinute;
        if (combined > c.scaleUpThreshold) {
            action = 'scale_up';
            target = Math.min(c.maxWorkers, Math.max(Math.trunc(m.queueDepth / 10) + 1, Math.trunc(rate) + 1, m.activeWorkers + 1));
            reasoning.push(`Score ${combined.toFixed(2)} > threshold ${c.scaleUpThreshold}`);
        }
        else if (combined < c.scaleDownThreshold) {
            action = 'scale_down';
            target = Math.max(c.minWorkers, Math.max(Math.max(1, Math.trunc(rate)), m.activeWorkers - 1));
            reasoning.push(`Score ${combined.toFixed(2)} < threshold ${c.scaleDownThreshold}`);
        }
        else {
            reasoning.push(`Score ${combined.toFixed(2)} within stable range`);
        }
        target = Math.max(c.minWorkers, Math.min(c.maxWorkers, target));
        if (action !== 'no_change')
            this.lastActionMs = nowMs;
        return { action, targetWorkers: target, scores: { queue, latency, prediction: pred, cost, combined }, prediction, reasoning };
    }
}
export function createOriginalPolicy(c, name = 'original') {
    const engine = new OriginalEngine(c);
    return {
        name,
        decide(input) {
            const o = input.observation;
            const m = {
                queueDepth: o.queueDepth,
                validationsPerMinute: o.validationsPerMinute,
                avgLatencySeconds: o.avgLatencySeconds,
                activeWorkers: input.fleet.provisioned,
                currentCostPerHour: o.currentCostPerHour ?? 0,
                timestamp: input.now,
            };
            engine.addMetrics(m);
            const d = engine.makeDecision(m);
            return {
                targetWorkers: d.targetWorkers,
                reasoning: d.reasoning,
                action: d.action,
                ...(d.prediction
                    ? { forecast: { arrivalsPerMinute: d.prediction.predictedValidationsPerMinute, horizonMinutes: d.prediction.timeHorizonMinutes } }
                    : {}),
            };
        },
    };
}
//# sourceMappingURL=original.js.map