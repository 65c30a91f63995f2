export const SCORE_WEIGHTS = Object.freeze({ queue: 0.4, latency: 0.25, prediction: 0.2, cost: 0.15 });
/** 0 at or below half the target, 1 at or above twice the target, linear between (the brief's curve). */
export function rampScore(value, target) {
    if (!(target > 0))
        return 0;
    const low = target * 0.5;
    const high = target * 2;
    if (value <= low)
        return 0;
    if (value >= high)
        return 1;
    return (value - low) / (high - low);
}
export function queueScore(effectiveQueue, targetQueueDepth) {
    return rampScore(effectiveQueue, targetQueueDepth);
}
export function latencyScore(latencySeconds, targetLatencySeconds) {
    return rampScore(latencySeconds, targetLatencySeconds);
}
/**
 * v2.9.0 compared the forecast with "1 validation per minute per worker". Here the forecast is
 * first turned into workers by the capacity model, and the score is the same ramp applied to
 * needed ÷ current (1 = the fleet is exactly the size the forecast needs).
 */
export function predictionScore(workersNeededForForecast, currentWorkers) {
    if (currentWorkers <= 0)
        return workersNeededForForecast > 0 ? 1 : 0;
    return rampScore(workersNeededForForecast / currentWorkers, 1);
}
export function combineScores(queue, latency, prediction, cost) {
    const raw = SCORE_WEIGHTS.queue * queue + SCORE_WEIGHTS.latency * latency
        + SCORE_WEIGHTS.prediction * prediction - SCORE_WEIGHTS.cost * cost;
    return { queue, latency, prediction, cost, combined: Math.min(1, Math.max(0, raw)) };
}
//# sourceMappingURL=scores.js.map