/**
 * Discrete-event simulation of a FIFO job queue served by a fleet of single-job workers,
 * driven by the one ControlLoop through simulated adapters. The simulator only executes:
 * every scaling decision comes from the policy via `loop.tick()` at each evaluation instant.
 *
 * Semantics (all times integer milliseconds from the trace start):
 * - A worker is paid from the moment it is requested and is ready `startup` later.
 * - Scale-down stops idle workers first, then starting ones (newest first), then marks busy
 *   ones (longest-running job first) as draining: they finish their job, then stop being paid.
 *   A scale-up first cancels drains, then requests new workers.
 * - At equal times: job completions and worker start-ups, then arrivals, then the evaluation.
 * - Arrivals stop at the end of the trace; evaluations continue until every job has finished.
 *   Billing ends at max(end of trace, last completion): there every remaining worker is stopped.
 */
import { ControlLoop } from '../control/loop.js';
import type { FleetState, Observation, ScalingPolicy } from '../control/interfaces.js';
import { SimulatedActuator, SimulatedClock, SimulatedMetricsSource, type SimulatedSystem } from '../adapters/simulated.js';
import { EventHeap } from './event-heap.js';
import { CompletionWindow, CpuMeter, IdSet, SeriesRecorder, WorkerLogRecorder } from './recorders.js';
import { summarize } from './summary.js';
import type { JobRecords, SimulationRun } from './types.js';
import type { Workload } from './workload.js';

export interface SimulatorOptions {
  workload: Workload;
  policy: ScalingPolicy;
  /** Workers running and ready at time 0 (warm start). */
  initialWorkers: number;
  startupSeconds: number;
  intervalSeconds: number;
  sloSeconds: number;
  metricsWindowMinutes: number;
  costPerWorkerHour: number;
  /** Keep per-job start/end/worker and the worker change log (memory grows with jobs and changes). */
  recordJobs?: boolean;
  recordWorkerLog?: boolean;
  /** Stop early once more than this many jobs are certain to miss the SLO (searches). */
  maxMisses?: number;
  /** Stop early once paid worker-seconds exceed this (searches). */
  maxWorkerSeconds?: number;
  /** Called now and then with the share of the trace simulated so far. */
  onProgress?: (fraction: number) => void;
}

const STOPPED = 0;
const STARTING = 1;
const IDLE = 2;
const BUSY = 3;
const DRAINING = 4;

const EV_COMPLETE = 0;
const EV_READY = 1;

/** After the trace ends, give up on leftover jobs after this long (they count as lost). */
const MIN_OVERTIME_MS = 7 * 86_400_000;
/** Window of the CPU reading (busy ÷ ready), like a metrics server's resolution. */
export const CPU_WINDOW_MS = 60_000;

export class Simulator implements SimulatedSystem {
  private readonly o: SimulatorOptions;
  private readonly arrival: Float64Array;
  private readonly service: Float64Array;
  private readonly n: number;
  private readonly startMs: number;
  private readonly startupMs: number;
  private readonly sloMs: number;
  private now = 0;

  // Workers: state per id (ids are never reused), plus sets by state.
  private state = new Uint8Array(256);
  private jobOf = new Int32Array(256);
  private workers = 0;
  private idle: number[] = [];
  private starting: number[] = [];
  private readonly busySet = new IdSet();
  private readonly drainSet = new IdSet();
  private nStarting = 0;

  // Jobs: FIFO in arrival order, so the queue is the index range [qHead, arrived).
  private arrived = 0;
  private qHead = 0;
  private completed = 0;
  private misses = 0;
  private lastCompletion = 0;
  private readonly jobStart: Float64Array;
  private readonly jobEnd: Float64Array;
  private readonly jobWorker: Int32Array | undefined;
  private arrTrail = 0;

  // Accounting.
  private lastT = 0;
  private paidMs = 0;
  private busyMs = 0;
  private readonly cpu = new CpuMeter(CPU_WINDOW_MS);
  private peakPaid = 0;
  private scaleActions = 0;
  private tickErrors = 0;
  private lastTickError: string | undefined;

  private readonly heap = new EventHeap(1024);
  private readonly window: CompletionWindow;
  private readonly series = new SeriesRecorder();
  private readonly log: WorkerLogRecorder | undefined;

  constructor(opts: SimulatorOptions) {
    this.o = opts;
    const w = opts.workload;
    this.arrival = w.arrivalMs;
    this.service = w.serviceMs;
    this.n = w.jobs;
    this.startMs = w.trace.startMs;
    this.startupMs = Math.round(opts.startupSeconds * 1000);
    this.sloMs = opts.sloSeconds * 1000;
    this.jobStart = new Float64Array(this.n).fill(Number.NaN);
    this.jobEnd = new Float64Array(this.n).fill(Number.NaN);
    this.jobWorker = opts.recordJobs ? new Int32Array(this.n).fill(-1) : undefined;
    this.window = new CompletionWindow(opts.metricsWindowMinutes * 60_000);
    this.log = opts.recordWorkerLog ? new WorkerLogRecorder() : undefined;
  }

  // --- SimulatedSystem ----------------------------------------------------------------------

  nowEpochMs(): number {
    return this.startMs + this.now;
  }

  fleetState(): FleetState {
    const ready = this.idle.length + this.busySet.size;
    return { provisioned: this.nStarting + ready, ready, draining: this.drainSet.size };
  }

  observe(now: Date): Observation {
    const t = this.now;
    this.window.evict(t);
    while (this.arrTrail < this.arrived && (this.arrival[this.arrTrail] ?? 0) <= t - 60_000) this.arrTrail++;
    const windowMinutes = this.o.metricsWindowMinutes;
    const ready = this.idle.length + this.busySet.size;
    const inFlight = this.busySet.size + this.drainSet.size;
    const waiting = this.arrived - this.qHead;
    const paid = this.nStarting + ready + this.drainSet.size;
    const obs: Observation = {
      timestamp: now,
      queueDepth: waiting,
      inFlight,
      validationsPerMinute: this.window.count / windowMinutes,
      avgLatencySeconds: this.window.meanProcessingMs() / 1000,
      arrivalsPerMinute: this.arrived - this.arrTrail,
      activeWorkers: this.nStarting + ready,
      readyWorkers: ready,
      oldestWaitSeconds: waiting > 0 ? (t - (this.arrival[this.qHead] ?? t)) / 1000 : 0,
      cpuUsage: this.cpu.percent(t, this.busySet.size, ready),
      currentCostPerHour: paid * this.o.costPerWorkerHour,
    };
    if (this.window.count > 0) obs.p95LatencySeconds = this.window.p95ProcessingMs() / 1000;
    // Below ~20 completions a cv estimate is too noisy to size on; the engine then assumes 1.
    if (this.window.count >= 20) obs.serviceTimeCv = this.window.processingCv();
    return obs;
  }

  scaleTo(target: number): FleetState {
    if (!Number.isInteger(target) || target < 0) {
      throw new Error(`scaleTo: target must be an integer >= 0; got ${String(target)}`);
    }
    const t = this.now;
    this.advance(t);
    let provisioned = this.nStarting + this.idle.length + this.busySet.size;
    if (target !== provisioned) this.scaleActions++;
    while (provisioned < target) {
      if (this.drainSet.size > 0) {
        const w = this.drainSet.at(this.drainSet.size - 1);
        this.drainSet.remove(w);
        this.state[w] = BUSY;
        this.busySet.add(w);
      } else {
        this.startWorker(t);
      }
      provisioned++;
    }
    while (provisioned > target) {
      this.removeOne();
      provisioned--;
    }
    this.dispatch(t);
    this.logRow(t);
    return this.fleetState();
  }

  // --- Event loop ----------------------------------------------------------------------------

  async run(): Promise<SimulationRun> {
    const wallStart = performance.now();
    const o = this.o;
    const loop = new ControlLoop({
      clock: new SimulatedClock(this),
      source: new SimulatedMetricsSource(this),
      actuator: new SimulatedActuator(this),
      policy: o.policy,
      intervalMs: o.intervalSeconds * 1000,
    });
    const intervalMs = Math.round(o.intervalSeconds * 1000);
    const endMs = o.workload.trace.endMs;
    const giveUpMs = endMs + Math.max(MIN_OVERTIME_MS, endMs);
    const maxMisses = o.maxMisses ?? Infinity;
    const maxPaidMs = (o.maxWorkerSeconds ?? Infinity) * 1000;

    for (let i = 0; i < o.initialWorkers; i++) this.addReadyWorker();
    this.logRow(0);

    let nextTick = 0;
    let ticks = 0;
    let aborted: 'slo' | 'cost' | undefined;
    let stopMs = 0;
    for (;;) {
      const tHeap = this.heap.peekTime();
      const tArr = this.arrived < this.n ? (this.arrival[this.arrived] ?? Infinity) : Infinity;
      const tNext = Math.min(tHeap, tArr, nextTick);
      if (this.arrived === this.n && this.completed === this.n) {
        const stopAt = Math.max(endMs, this.lastCompletion);
        if (stopAt <= tNext) {
          stopMs = stopAt;
          break;
        }
      }
      if (tNext > giveUpMs) {
        stopMs = Math.max(endMs, this.lastCompletion, this.now);
        break;
      }
      if (tHeap <= tArr && tHeap <= nextTick) {
        const payload = this.heap.pop();
        this.advance(tHeap);
        if ((payload & 1) === EV_COMPLETE) this.complete(payload >> 1, tHeap);
        else this.workerReady(payload >> 1, tHeap);
        this.logRow(tHeap);
      } else if (tArr <= nextTick) {
        this.advance(tArr);
        this.series.arrival(tArr);
        this.arrived++;
        this.dispatch(tArr);
        this.logRow(tArr);
      } else {
        this.advance(nextTick);
        const result = await loop.tick();
        if (result.error !== undefined) {
          this.tickErrors++;
          this.lastTickError = result.error;
        }
        const f = result.decision?.forecast;
        if (f) this.series.forecastFor(nextTick + f.horizonMinutes * 60_000, f.arrivalsPerMinute);
        nextTick += intervalMs;
        if (++ticks % 4096 === 0) {
          o.onProgress?.(Math.min(1, this.now / endMs));
          // Let timers and I/O run (progress bar, signals) during long runs.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (this.misses + this.lateWaiting() > maxMisses) aborted = 'slo';
        else if (this.paidMs > maxPaidMs) aborted = 'cost';
        if (aborted) {
          stopMs = this.now;
          break;
        }
      }
    }
    return this.finish(stopMs, aborted, performance.now() - wallStart);
  }

  // --- Workers and jobs ----------------------------------------------------------------------

  private newWorker(state: number): number {
    const w = this.workers++;
    if (w >= this.state.length) {
      const s = new Uint8Array(this.state.length * 2);
      s.set(this.state);
      this.state = s;
      const j = new Int32Array(this.jobOf.length * 2);
      j.set(this.jobOf);
      this.jobOf = j;
    }
    this.state[w] = state;
    return w;
  }

  private addReadyWorker(): void {
    const w = this.newWorker(IDLE);
    this.idle.push(w);
  }

  private startWorker(t: number): void {
    const w = this.newWorker(STARTING);
    this.starting.push(w);
    this.nStarting++;
    this.heap.push(t + this.startupMs, (w << 1) | EV_READY);
  }

  private removeOne(): void {
    const idle = this.idle.pop();
    if (idle !== undefined) {
      this.state[idle] = STOPPED;
      return;
    }
    while (this.starting.length > 0) {
      const w = this.starting.pop() ?? -1;
      if (this.state[w] === STARTING) {
        this.state[w] = STOPPED;
        this.nStarting--;
        return;
      }
    }
    // Busy: the one whose job has run longest is likeliest to free up soonest.
    let victim = -1;
    let earliest = Infinity;
    for (let i = 0; i < this.busySet.size; i++) {
      const w = this.busySet.at(i);
      const s = this.jobStart[this.jobOf[w] ?? 0] ?? 0;
      if (s < earliest) {
        earliest = s;
        victim = w;
      }
    }
    if (victim >= 0) {
      this.busySet.remove(victim);
      this.state[victim] = DRAINING;
      this.drainSet.add(victim);
    }
  }

  private workerReady(w: number, t: number): void {
    if (this.state[w] !== STARTING) return; // cancelled while starting
    this.nStarting--;
    this.state[w] = IDLE;
    this.idle.push(w);
    if (this.nStarting === 0) this.starting.length = 0;
    this.dispatch(t);
  }

  private startJob(j: number, w: number, t: number): void {
    this.state[w] = BUSY;
    this.busySet.add(w);
    this.jobOf[w] = j;
    this.jobStart[j] = t;
    if (this.jobWorker) this.jobWorker[j] = w;
    this.heap.push(t + (this.service[j] ?? 0), (w << 1) | EV_COMPLETE);
  }

  private dispatch(t: number): void {
    while (this.qHead < this.arrived && this.idle.length > 0) {
      const w = this.idle.pop() ?? 0;
      this.startJob(this.qHead++, w, t);
    }
  }

  private complete(w: number, t: number): void {
    const j = this.jobOf[w] ?? 0;
    this.jobEnd[j] = t;
    this.completed++;
    this.lastCompletion = t;
    const start = this.jobStart[j] ?? t;
    const latency = t - (this.arrival[j] ?? 0);
    if (latency > this.sloMs) this.misses++;
    this.window.add(t, t - start);
    this.series.completion(t, latency);
    if (this.state[w] === DRAINING) {
      this.drainSet.remove(w);
      this.state[w] = STOPPED;
      return;
    }
    this.busySet.remove(w);
    if (this.qHead < this.arrived) {
      this.startJob(this.qHead++, w, t);
    } else {
      this.state[w] = IDLE;
      this.idle.push(w);
    }
  }

  /** Waiting jobs already older than the SLO: certain misses. */
  private lateWaiting(): number {
    const cutoff = this.now - this.sloMs;
    if (this.qHead >= this.arrived || (this.arrival[this.qHead] ?? 0) >= cutoff) return 0;
    let lo = this.qHead;
    let hi = this.arrived;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.arrival[mid] ?? 0) < cutoff) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.qHead;
  }

  // --- Accounting ----------------------------------------------------------------------------

  /** Integrates the fleet state held since the last event up to `t`. */
  private advance(t: number): void {
    const dt = t - this.lastT;
    if (dt > 0) {
      const ready = this.idle.length + this.busySet.size + this.drainSet.size;
      const paid = ready + this.nStarting;
      const busy = this.busySet.size + this.drainSet.size;
      // Peak over states actually held for some time, as the collapsed --workers-out rows show.
      if (paid > this.peakPaid) this.peakPaid = paid;
      this.paidMs += paid * dt;
      this.busyMs += busy * dt;
      this.cpu.accumulate(this.busySet.size, this.idle.length + this.busySet.size, dt);
      this.series.accumulate(this.lastT, t, paid, ready, busy, this.arrived - this.qHead);
      this.lastT = t;
    }
    this.now = t;
  }

  private logRow(t: number): void {
    const ready = this.idle.length + this.busySet.size + this.drainSet.size;
    const paid = ready + this.nStarting;
    this.log?.record(t, paid, ready, this.busySet.size + this.drainSet.size);
  }

  private finish(stopMs: number, aborted: 'slo' | 'cost' | undefined, wallMs: number): SimulationRun {
    this.advance(stopMs);
    const workerLog = this.log?.finish(stopMs, 0, 0, 0);
    const o = this.o;
    const summary = summarize({
      policy: o.policy.name, arrivalMs: this.arrival, endMs: this.jobEnd, completed: this.completed,
      sloSeconds: o.sloSeconds, costPerWorkerHour: o.costPerWorkerHour, paidMs: this.paidMs, busyMs: this.busyMs,
      stopMs, peakWorkers: this.peakPaid, scaleActions: this.scaleActions,
    });
    const jobs: JobRecords | undefined = this.jobWorker
      ? { arrivalMs: this.arrival, startMs: this.jobStart, endMs: this.jobEnd, worker: this.jobWorker }
      : undefined;
    return {
      policy: o.policy.name,
      description: '',
      summary,
      series: this.series.finish(stopMs),
      ...(jobs ? { jobs } : {}),
      ...(workerLog ? { workerLog } : {}),
      stopMs,
      simulations: 1,
      tickErrors: this.tickErrors,
      ...(this.lastTickError !== undefined ? { lastTickError: this.lastTickError } : {}),
      ...(aborted ? { aborted } : {}),
      wallMs,
    };
  }
}

/** Simulates one policy on a workload. */
export function simulate(opts: SimulatorOptions): Promise<SimulationRun> {
  return new Simulator(opts).run();
}
