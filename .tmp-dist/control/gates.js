/** While paused the loop keeps deciding and logging, but the fleet stays as it is. */
export class PauseGate {
    name = 'pause';
    pausedAt;
    /** Idempotent: a second pause keeps the first time. */
    pause(now) {
        this.pausedAt ??= now;
    }
    resume() {
        this.pausedAt = undefined;
    }
    get paused() {
        return this.pausedAt !== undefined;
    }
    get since() {
        return this.pausedAt;
    }
    apply(target, current) {
        if (this.pausedAt === undefined)
            return { target };
        return {
            target: current.provisioned,
            reason: `paused since ${this.pausedAt.toISOString()}: holding ${current.provisioned} workers (policy wanted ${target})`,
        };
    }
}
/** Pins the fleet at `workers` until `ttlSeconds` after it was set; then the policy decides again. */
export class OverrideGate {
    maxWorkers;
    maxTtlSeconds;
    name = 'override';
    setting;
    constructor(maxWorkers, maxTtlSeconds = 86_400) {
        this.maxWorkers = maxWorkers;
        this.maxTtlSeconds = maxTtlSeconds;
    }
    /** Throws RangeError naming the field when a value is out of range. */
    set(workers, ttlSeconds, now) {
        if (!Number.isInteger(workers) || workers < 0 || workers > this.maxWorkers) {
            throw new RangeError(`workers must be an integer in [0, ${this.maxWorkers}]; got ${String(workers)}`);
        }
        if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.maxTtlSeconds) {
            throw new RangeError(`ttlSeconds must be an integer in [1, ${this.maxTtlSeconds}]; got ${String(ttlSeconds)}`);
        }
        this.setting = { workers, ttlSeconds, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
        return this.setting;
    }
    /** Puts back a saved override (after a controller restart); an expired one is dropped at the next apply. */
    restore(setting) {
        this.setting = { ...setting, expiresAt: new Date(setting.expiresAt.getTime()) };
    }
    clear() {
        this.setting = undefined;
    }
    /** The override in force at `now`, if any. */
    active(now) {
        const s = this.setting;
        return s !== undefined && now.getTime() < s.expiresAt.getTime() ? s : undefined;
    }
    apply(target, _current, now) {
        const s = this.active(now);
        if (s === undefined) {
            if (this.setting !== undefined) {
                const expired = this.setting;
                this.setting = undefined;
                return { target, reason: `override of ${expired.workers} workers expired at ${expired.expiresAt.toISOString()}; policy decides again` };
            }
            return { target };
        }
        return {
            target: s.workers,
            reason: `override: ${s.workers} workers until ${s.expiresAt.toISOString()} (policy wanted ${target})`,
        };
    }
}
//# sourceMappingURL=gates.js.map