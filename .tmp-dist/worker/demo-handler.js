function envNumber(name, fallback, ok) {
    const raw = process.env[name];
    if (raw === undefined || raw === '')
        return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || !ok(v))
        throw new RangeError(`${name} must be a valid number; got ${JSON.stringify(raw)}`);
    return v;
}
export function demoLatencyFromEnv() {
    return {
        meanSeconds: envNumber('BOUNTYBOT_DEMO_MEAN_SECONDS', 5, (v) => v >= 0),
        cv: envNumber('BOUNTYBOT_DEMO_CV', 0.5, (v) => v >= 0),
        failureRate: envNumber('BOUNTYBOT_DEMO_FAILURE_RATE', 0, (v) => v >= 0 && v <= 1),
    };
}
/** Lognormal sample with the given mean and coefficient of variation (Box-Muller). */
export function sampleLognormalSeconds(meanSeconds, cv, random = Math.random) {
    if (meanSeconds <= 0)
        return 0;
    if (cv <= 0)
        return meanSeconds;
    const sigma2 = Math.log(1 + cv * cv);
    const mu = Math.log(meanSeconds) - sigma2 / 2;
    const u1 = Math.max(random(), Number.MIN_VALUE);
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
    return Math.exp(mu + Math.sqrt(sigma2) * z);
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(new Error('aborted'));
            return;
        }
        const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
        const onAbort = () => { clearTimeout(timer); reject(new Error('aborted')); };
        signal.addEventListener('abort', onAbort, { once: true });
    });
}
export async function validate(job, context) {
    const cfg = demoLatencyFromEnv();
    const seconds = sampleLognormalSeconds(cfg.meanSeconds, cfg.cv);
    await sleep(seconds * 1000, context.signal);
    if (cfg.failureRate > 0 && Math.random() < cfg.failureRate) {
        throw new Error(`demo handler: simulated provider failure (attempt ${job.attempt})`);
    }
    return { handler: 'demo', note: 'DEMO handler: no real validation performed', simulatedLatencySeconds: seconds };
}
//# sourceMappingURL=demo-handler.js.map