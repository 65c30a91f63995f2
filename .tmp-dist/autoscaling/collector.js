/**
 * Validation metrics for scaling decisions: queue depth, throughput, latency, success rate and
 * process/system resource use, over a sliding time window.
 *
 * Memory is bounded by the validations in flight plus what the window holds, however many pass:
 * completions and depth points live in ring deques pruned by time (each also has a hard cap as
 * a safety valve), and the totals are plain counters.
 *
 * - queueDepth = enqueued or started and not yet ended; pendingValidations = enqueued and not
 *   started; activeValidations = started and not ended.
 * - Latency = start → end of validations ended within the window.
 * - validationsPerMinute = completions in the window / the window's length, where the length is
 *   the time since start (or reset) while that is shorter than the window, but at least one
 *   minute: a handful of completions in the first seconds is not extrapolated to a huge rate.
 * - Trends compare the mean of the first half of the points in the window with the second half
 *   (±20 %), as the original did with its last ten points; fewer than 10 points → insufficient_data.
 *   Depth points are recorded on every change and on each `getCurrentMetrics`, at most one per
 *   second (the latest depth in a second wins), so a burst of events is not mistaken for a trend.
 */
import os from 'node:os';
import { RingDeque } from './ring-deque.js';
import { systemClock } from './types.js';
const MINUTE_MS = 60_000;
const TREND_MIN_POINTS = 10;
const TREND_BAND = 0.2;
const DEPTH_RESOLUTION_MS = 1000;
const MAX_DEPTH_POINTS = 4096;
/** CPU: this process's CPU time per wall time since the previous reading, over all cores. */
export function createProcessResourceSampler() {
    let lastCpu = process.cpuUsage();
    let lastWallNs = process.hrtime.bigint();
    let lastCpuPercent = 0;
    return () => {
        const wallNs = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        const wallMicros = Number(wallNs - lastWallNs) / 1000;
        // Readings closer than 10 ms apart are mostly rounding; keep the previous one.
        if (wallMicros >= 10_000) {
            const usedMicros = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
            const cores = Math.max(1, os.cpus().length);
            lastCpuPercent = clamp((usedMicros / (wallMicros * cores)) * 100, 0, 100);
            lastCpu = cpu;
            lastWallNs = wallNs;
        }
        const total = os.totalmem();
        const memoryUsage = total > 0 ? clamp(((total - os.freemem()) / total) * 100, 0, 100) : 0;
        return { cpuUsage: lastCpuPercent, memoryUsage };
    };
}
export class AutoScalingMetricsCollector {
    windowMinutes;
    windowMs;
    clock;
    sampler;
    logger;
    pending = new Map();
    active = new Map();
    completions;
    depthHistory = new RingDeque(MAX_DEPTH_POINTS);
    lastResources = { cpuUsage: 0, memoryUsage: 0 };
    startedMs;
    totalSuccesses = 0;
    totalFailures = 0;
    constructor(options = {}) {
        const windowMinutes = options.windowMinutes ?? 5;
        if (typeof windowMinutes !== 'number' || !Number.isFinite(windowMinutes) || windowMinutes <= 0) {
            throw new RangeError(`windowMinutes must be a number > 0; got ${String(windowMinutes)}`);
        }
        const cap = options.maxWindowCompletions ?? 100_000;
        if (!Number.isInteger(cap) || cap < 1) {
            throw new RangeError(`maxWindowCompletions must be an integer >= 1; got ${String(cap)}`);
        }
        this.windowMinutes = windowMinutes;
        this.windowMs = windowMinutes * MINUTE_MS;
        this.clock = options.clock ?? systemClock;
        this.sampler = options.resourceSampler ?? createProcessResourceSampler();
        this.logger = options.logger ?? { warn: (m) => console.warn(m) };
        this.completions = new RingDeque(cap);
        this.startedMs = this.nowMs();
    }
    /** A validation entered the queue. Enqueuing an id already queued or running is ignored. */
    enqueueValidation(id) {
        const now = this.nowMs();
        if (this.pending.has(id) || this.active.has(id)) {
            this.logger.warn(`autoscaling collector: validation ${id} is already queued or running; enqueue ignored`);
            return;
        }
        this.pending.set(id, now);
        this.recordDepth(now);
    }
    /** A validation started (it need not have been enqueued). Starting a running id restarts its timer. */
    startValidation(id) {
        const now = this.nowMs();
        this.pending.delete(id);
        if (this.active.has(id)) {
            this.logger.warn(`autoscaling collector: validation ${id} was already running; its timer restarts`);
        }
        this.active.set(id, now);
        this.recordDepth(now);
    }
    /**
     * A validation ended. Ending an id that never started but is queued removes it from the queue
     * (a cancellation: not counted as a completion); ending an unknown id is a logged no-op.
     */
    endValidation(id, result = {}) {
        const now = this.nowMs();
        const startedMs = this.active.get(id);
        if (startedMs === undefined) {
            if (this.pending.delete(id)) {
                this.logger.warn(`autoscaling collector: validation ${id} ended before it started; removed from the queue, not counted`);
                this.recordDepth(now);
            }
            else {
                this.logger.warn(`autoscaling collector: validation ${id} is not queued or running; end ignored`);
            }
            return;
        }
        this.active.delete(id);
        const success = result.success ?? true;
        if (success)
            this.totalSuccesses++;
        else
            this.totalFailures++;
        this.completions.push({ endMs: now, latencySeconds: Math.max(0, now - startedMs) / 1000, success });
        this.prune(now);
        this.recordDepth(now);
    }
    getCurrentMetrics() {
        const now = this.nowMs();
        this.prune(now);
        this.recordDepth(now);
        const latencies = [];
        let successes = 0;
        let sum = 0;
        for (const c of this.completions) {
            latencies.push(c.latencySeconds);
            sum += c.latencySeconds;
            if (c.success)
                successes++;
        }
        const n = latencies.length;
        latencies.sort((a, b) => a - b);
        const spanMs = Math.max(Math.min(MINUTE_MS, this.windowMs), Math.min(this.windowMs, now - this.startedMs));
        const resources = this.readResources();
        return {
            timestamp: new Date(now),
            queueDepth: this.pending.size + this.active.size,
            pendingValidations: this.pending.size,
            activeValidations: this.active.size,
            validationsPerMinute: n / (spanMs / MINUTE_MS),
            avgLatencySeconds: n > 0 ? sum / n : 0,
            p95LatencySeconds: n > 0 ? (latencies[Math.ceil(0.95 * n) - 1] ?? 0) : 0,
            maxLatencySeconds: n > 0 ? (latencies[n - 1] ?? 0) : 0,
            minLatencySeconds: n > 0 ? (latencies[0] ?? 0) : 0,
            successRate: n > 0 ? successes / n : 1,
            cpuUsage: resources.cpuUsage,
            memoryUsage: resources.memoryUsage,
            windowMinutes: this.windowMinutes,
        };
    }
    getQueueDepthTrend() {
        const now = this.nowMs();
        this.prune(now);
        return halvesTrend(Array.from(this.depthHistory, (p) => p.depth));
    }
    getLatencyTrend() {
        this.prune(this.nowMs());
        return halvesTrend(Array.from(this.completions, (c) => c.latencySeconds));
    }
    getStatistics() {
        const now = this.nowMs();
        const currentMetrics = this.getCurrentMetrics();
        const total = this.totalSuccesses + this.totalFailures;
        return {
            uptimeSeconds: Math.max(0, now - this.startedMs) / 1000,
            totalValidations: total,
            totalSuccesses: this.totalSuccesses,
            totalFailures: this.totalFailures,
            overallSuccessRate: total > 0 ? this.totalSuccesses / total : 1,
            currentMetrics,
            queueDepthTrend: this.getQueueDepthTrend(),
            latencyTrend: this.getLatencyTrend(),
            activeValidations: this.active.size,
            completedValidations: this.completions.size,
        };
    }
    /** The brief's metric names, for an external exporter. */
    exportMetrics() {
        const s = this.getStatistics();
        const m = s.currentMetrics;
        return {
            bountybot_autoscaling_queue_depth: m.queueDepth,
            bountybot_autoscaling_validations_per_minute: m.validationsPerMinute,
            bountybot_autoscaling_avg_latency_seconds: m.avgLatencySeconds,
            bountybot_autoscaling_success_rate: m.successRate,
            bountybot_autoscaling_cpu_usage: m.cpuUsage,
            bountybot_autoscaling_memory_usage: m.memoryUsage,
            bountybot_autoscaling_total_validations: s.totalValidations,
            bountybot_autoscaling_total_successes: s.totalSuccesses,
            bountybot_autoscaling_total_failures: s.totalFailures,
            bountybot_autoscaling_uptime_seconds: s.uptimeSeconds,
        };
    }
    /** Forgets everything, including validations in flight; uptime restarts. */
    reset() {
        this.pending.clear();
        this.active.clear();
        this.completions.clear();
        this.depthHistory.clear();
        this.totalSuccesses = 0;
        this.totalFailures = 0;
        this.startedMs = this.nowMs();
    }
    getFootprint() {
        return {
            pending: this.pending.size,
            active: this.active.size,
            windowCompletions: this.completions.size,
            depthPoints: this.depthHistory.size,
        };
    }
    nowMs() {
        return this.clock().getTime();
    }
    prune(now) {
        const cutoff = now - this.windowMs;
        while ((this.completions.first()?.endMs ?? Infinity) < cutoff)
            this.completions.shift();
        while ((this.depthHistory.first()?.atMs ?? Infinity) < cutoff)
            this.depthHistory.shift();
    }
    recordDepth(now) {
        const depth = this.pending.size + this.active.size;
        const last = this.depthHistory.last();
        if (last !== undefined && Math.floor(last.atMs / DEPTH_RESOLUTION_MS) === Math.floor(now / DEPTH_RESOLUTION_MS)) {
            this.depthHistory.setLast({ atMs: last.atMs, depth });
        }
        else {
            this.depthHistory.push({ atMs: now, depth });
        }
        this.prune(now);
    }
    readResources() {
        try {
            const r = this.sampler();
            if (Number.isFinite(r.cpuUsage) && Number.isFinite(r.memoryUsage)) {
                this.lastResources = { cpuUsage: clamp(r.cpuUsage, 0, 100), memoryUsage: clamp(r.memoryUsage, 0, 100) };
            }
        }
        catch (err) {
            this.logger.warn(`autoscaling collector: resource sampler failed (${err instanceof Error ? err.message : String(err)}); keeping the last reading`);
        }
        return this.lastResources;
    }
}
/** First half vs second half of the points, ±20 %; fewer than 10 points → insufficient_data. */
function halvesTrend(values) {
    if (values.length < TREND_MIN_POINTS)
        return 'insufficient_data';
    const mid = Math.floor(values.length / 2);
    const mean = (from, to) => {
        let s = 0;
        for (let i = from; i < to; i++)
            s += values[i] ?? 0;
        return s / (to - from);
    };
    const first = mean(0, mid);
    const second = mean(values.length - mid, values.length);
    if (second > first * (1 + TREND_BAND))
        return 'increasing';
    if (second < first * (1 - TREND_BAND))
        return 'decreasing';
    return 'stable';
}
function clamp(v, lo, hi) {
    return Math.min(hi, Math.max(lo, v));
}
//# sourceMappingURL=collector.js.map