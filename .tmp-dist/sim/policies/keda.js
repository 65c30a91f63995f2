import { HorizontalAutoscaler, queueMetric } from './hpa.js';
export function createKedaPolicy(o) {
    const minReplicas = o.minReplicas ?? 0;
    const activation = o.activationThreshold ?? 0;
    const pollMs = (o.pollingIntervalSeconds ?? 30) * 1000;
    const cooldownMs = (o.cooldownPeriodSeconds ?? 300) * 1000;
    const hpa = new HorizontalAutoscaler({
        minReplicas: Math.max(1, minReplicas),
        maxReplicas: o.maxReplicas,
        metrics: [queueMetric(o.queueTarget ?? 10)],
        ...(o.behavior ? { behavior: o.behavior } : {}),
    });
    let lastPollMs;
    let lastActiveMs;
    return {
        name: o.name ?? 'keda',
        decide(input) {
            const nowMs = input.now.getTime();
            const current = input.fleet.provisioned;
            const queue = input.observation.queueDepth + (input.observation.inFlight ?? 0);
            lastActiveMs ??= nowMs;
            const polled = lastPollMs === undefined || nowMs - lastPollMs >= pollMs - 1;
            if (polled) {
                lastPollMs = nowMs;
                if (queue > activation)
                    lastActiveMs = nowMs;
            }
            const active = queue > activation;
            const out = (target, reasoning) => ({
                targetWorkers: target,
                reasoning,
                action: target > current ? 'scale_up' : target < current ? 'scale_down' : 'no_change',
            });
            if (current === 0) {
                if (polled && active) {
                    return out(Math.max(1, minReplicas), [`keda: queue ${queue} > activation ${activation}, activating 0 → ${Math.max(1, minReplicas)}`]);
                }
                return out(0, [polled ? `keda: queue ${queue} <= activation ${activation}, staying at 0` : 'keda: at 0, waiting for the next poll']);
            }
            if (polled && !active && minReplicas === 0 && nowMs - lastActiveMs >= cooldownMs) {
                return out(0, [`keda: inactive for ${((nowMs - lastActiveMs) / 1000).toFixed(0)}s >= cooldown ${cooldownMs / 1000}s, scaling to 0`]);
            }
            const { target, reasoning } = hpa.decide(nowMs, input.observation, current);
            return out(target, reasoning);
        },
    };
}
//# sourceMappingURL=keda.js.map