/** Keeps only arrivals in [fromMs, fromMs + durationMs), shifted to start at 0. */
export function windowPlan(plan, fromMs, durationMs) {
    const out = [];
    const to = fromMs + durationMs;
    for (let i = 0; i < plan.arrivalMs.length; i++) {
        const t = plan.arrivalMs[i];
        if (t >= fromMs && t < to)
            out.push(t - fromMs);
    }
    return { source: plan.source, arrivalMs: out, endMs: Math.min(plan.endMs, to) - fromMs };
}
/** Enqueues every arrival at its (compressed) time; resolves with the count when done or aborted. */
export async function runLoad(queue, plan, opts = {}) {
    const speed = opts.speed ?? 1;
    if (!(speed > 0 && Number.isFinite(speed)))
        throw new RangeError(`speed must be a number > 0; got ${String(speed)}`);
    const sliceMs = opts.sliceMs ?? 100;
    const now = opts.now ?? Date.now;
    const payload = opts.payload ?? ((seq, traceMs) => ({ seq, source: plan.source, traceMs }));
    const total = plan.arrivalMs.length;
    const t0 = now();
    let next = 0;
    for (;;) {
        const traceMs = (now() - t0) * speed;
        const batch = [];
        while (next < total && plan.arrivalMs[next] <= traceMs) {
            batch.push(payload(next, plan.arrivalMs[next]));
            next++;
        }
        if (batch.length > 0)
            await queue.enqueueBatch(batch);
        opts.onProgress?.({ enqueued: next, total, traceMs: Math.min(traceMs, plan.endMs) });
        if ((next >= total && traceMs >= plan.endMs) || opts.signal?.aborted)
            return next;
        const untilNext = next < total ? (plan.arrivalMs[next] - traceMs) / speed : (plan.endMs - traceMs) / speed;
        await sleep(Math.max(1, Math.min(sliceMs, untilNext)), opts.signal);
    }
}
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (signal?.aborted) {
            resolve();
            return;
        }
        const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}
//# sourceMappingURL=load-generator.js.map