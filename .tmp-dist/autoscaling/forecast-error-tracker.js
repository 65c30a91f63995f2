/**
 * Measures the predictor's own forecast error: it keeps a few pending forecasts ("mean rate over
 * the next H minutes will be p"), scores each once its window has been observed, and keeps an
 * EWMA of the scaled absolute error |a − p| / max(a, p, floor). Confidence = (1 − error) times a
 * data-sufficiency factor that grows with the number of scored forecasts.
 */
const MAX_PENDING = 32;
/** A forecast whose window was less than half observed (a gap) is dropped, not scored. */
const MIN_COVERAGE = 0.5;
export function emptyTrackerState() {
    return { pending: [], lastIssuedMs: null, error: 1, scored: 0 };
}
export class ForecastErrorTracker {
    knobs;
    state;
    constructor(knobs, state = emptyTrackerState()) {
        this.knobs = knobs;
        this.state = state;
    }
    /** Credits the rate observed over [startMs, endMs) to pending windows, then scores finished ones. */
    observe(startMs, endMs, rate, nowMs) {
        const pending = this.state.pending;
        if (rate !== null && endMs > startMs) {
            for (const p of pending) {
                const overlap = Math.min(endMs, p.endMs) - Math.max(startMs, p.startMs);
                if (overlap > 0) {
                    p.observedSum += (rate * overlap) / 60_000;
                    p.observedMinutes += overlap / 60_000;
                }
            }
        }
        while (pending.length > 0 && (pending[0]?.endMs ?? Infinity) <= nowMs) {
            const done = pending.shift();
            if (done !== undefined)
                this.score(done);
        }
    }
    /** Registers the forecast made at `nowMs` for the next `horizonMinutes`, at most once a minute. */
    issue(nowMs, predicted) {
        const s = this.state;
        if (s.lastIssuedMs !== null && nowMs - s.lastIssuedMs < 60_000)
            return;
        if (s.pending.length >= MAX_PENDING)
            return;
        s.pending.push({
            startMs: nowMs,
            endMs: nowMs + this.knobs.horizonMinutes * 60_000,
            predicted,
            observedSum: 0,
            observedMinutes: 0,
        });
        s.lastIssuedMs = nowMs;
    }
    score(p) {
        const window = (p.endMs - p.startMs) / 60_000;
        if (p.observedMinutes < MIN_COVERAGE * window)
            return;
        const actual = p.observedSum / p.observedMinutes;
        const scale = Math.max(actual, p.predicted, this.knobs.errorFloor);
        const err = Math.min(1, Math.abs(actual - p.predicted) / scale);
        const s = this.state;
        s.scored += 1;
        const beta = Math.max(1 / s.scored, 1 / this.knobs.memory);
        s.error += beta * (err - s.error);
    }
    /** Confidence in [0, 1]: 1 − measured error, scaled down while few forecasts have been scored. */
    confidence() {
        const s = this.state;
        const sufficiency = 1 - Math.exp(-s.scored / this.knobs.sufficiencyScale);
        const c = (1 - s.error) * sufficiency;
        return Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0;
    }
}
//# sourceMappingURL=forecast-error-tracker.js.map