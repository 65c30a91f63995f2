/**
 * Discrete-event simulation of a FIFO job queue served by a fleet of single-job workers,
 * driven by the one ControlLoop through simulated adapters. The simulator only executes:
 * every scaling decision comes from the policy via `loop.tick()` at each evaluation instant.
 *
 * Semantics (all times integer milliseconds from the trace start):
 * - A worker is paid from the moment it is requested and is ready `startup` later.
 * - Scale-down, `drain` (default): stops idle workers first, then starting ones (newest first),
 *   then marks busy ones (longest-running job first) as draining: they finish their job, then
 *   stop being paid. A scale-up first cancels drains, then requests new workers.
 * - Scale-down, `kubernetes`: the workers removed are those a ReplicaSet deletes (replica-set.ts:
 *   starting ones first, then the most recently ready, whatever they are doing). An idle one stops
 *   at once; a busy one gets SIGTERM, takes no new job and is paid until its job ends, or until
 *   `graceSeconds` have passed: then it is killed and its job goes back to the queue at its
 *   original place (arrival), to run again from the start. A deleted pod is never revived.
 * - At equal times: job completions, kills and worker start-ups, then arrivals, then the evaluation.
 * - Arrivals stop at the end of the trace; evaluations continue until every job has finished.
 *   Billing ends at max(end of trace, last completion): there every remaining worker is stopped.
 */
import { ControlLoop } from '../control/loop.js';
import type { FleetState, Observation, ScalingPolicy } from '../control/interfaces.js';
import { SimulatedActuator, SimulatedClock, SimulatedMetricsSource, type SimulatedSystem } from '../adapters/simulated.js';
import { EventHeap } from './event-heap.js';
import { JobQueue } from './job-queue.js';
import { KilledLog, WorkerTable } from './workers.js';
import { CompletionWindow, CpuMeter, SeriesRecorder, WorkerLogRecorder } from './recorders.js';
import { serviceAheadMs } from './split.js';
import { firstJobAtOrAfter, summarize, summarizeWindow } from './summary.js';
import type { JobRecords, ScaleDownMode, SimulationRun } from './types.js';
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
  /** How workers are removed (see the module comment). Default 'drain'. */
  scaleDown?: ScaleDownMode;
  /** `kubernetes` scale-down: seconds between SIGTERM and the kill of a busy worker. Default 30. */
  graceSeconds?: number;
  /** Also score the run from this time on (jobs arriving from then, worker-time paid after it): `secondHalf`. */
  scoreFromMs?: number;
  /** Keep per-job start/end/worker and the worker change log (memory grows with jobs and changes). */
  recordJobs?: boolean;
  recordWorkerLog?: boolean;
  /** Stop early once more than this many jobs are certain to miss the SLO (searches). */
  maxMisses?: number;
  /**
   * Stop early once the run is certain to pay more worker-seconds than this (searches): paid so far
   * plus the service time of the jobs yet to arrive, which some worker will have to be paid for.
   */
  maxWorkerSeconds?: number;
  /** Called now and then with the share of the trace simulated so far. */
  onProgress?: (fraction: number) => void;
}

const EV_COMPLETE = 0;
const EV_READY = 1;
const EV_KILL = 2;

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
  private readonly graceMs: number;
  private readonly sloMs: number;
  private readonly kubernetes: boolean;
  private now = 0;

  private readonly fleet: WorkerTable;
  private readonly queue = new JobQueue();
  private completed = 0;
  private misses = 0;
  private lastCompletion = 0;
  private readonly jobStart: Float64Array;
  private readonly jobEnd: Float64Array;
  private readonly jobWorker: Int32Array | undefined;
  private readonly killedLog: KilledLog | undefined;
  private arrTrail = 0;

  // Accounting; the `score*` fields cover [scoreFrom, end) only.
  private lastT = 0;
  private paidMs = 0;
  private busyMs = 0;
  private killedBusyMs = 0;
  private killedAttempts = 0;
  private readonly scoreFrom: number;
  private scorePaidMs = 0;
  private scoreBusyMs = 0;
  private scorePeak = 0;
  private scoreActions = 0;
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
    this.kubernetes = opts.scaleDown === 'kubernetes';
    this.graceMs = Math.round((opts.graceSeconds ?? 30) * 1000);
    this.sloMs = opts.sloSeconds * 1000;
    this.scoreFrom = opts.scoreFromMs ?? Infinity;
    this.fleet = new WorkerTable();
    this.jobStart = new Float64Array(this.n).fill(Number.NaN);
    this.jobEnd = new Float64Array(this.n).fill(Number.NaN);
    this.jobWorker = opts.recordJobs ? new Int32Array(this.n).fill(-1) : undefined;
    this.killedLog = opts.recordJobs && this.kubernetes ? new KilledLog() : undefined;
    this.window = new CompletionWindow(opts.metricsWindowMinutes * 60_000);
    this.log = opts.recordWorkerLog ? new WorkerLogRecorder() : undefined;
  }

  // --- SimulatedSystem ----------------------------------------------------------------------

  nowEpochMs(): number {
    return this.startMs + this.now;
  }

  fleetState(): FleetState {
    const f = this.fleet;
    const ready = f.idle.length + f.busy.size;
    return { provisioned: f.nStarting + ready, ready, draining: f.draining.size };
  }

  observe(now: Date): Observation {
    const t = this.now;
    const f = this.fleet;
    const q = this.queue;
    this.window.evict(t);
    while (this.arrTrail < q.arrived && (this.arrival[this.arrTrail] ?? 0) <= t - 60_000) this.arrTrail++;
    const windowMinutes = this.o.metricsWindowMinutes;
    const ready = f.idle.length + f.busy.size;
    const waiting = q.waiting;
    const oldest = q.oldest();
    const obs: Observation = {
      timestamp: now,
      queueDepth: waiting,
      inFlight: f.busy.size + f.draining.size,
      validationsPerMinute: this.window.count / windowMinutes,
      avgLatencySeconds: this.window.meanProcessingMs() / 1000,
      arrivalsPerMinute: q.arrived - this.arrTrail,
      activeWorkers: f.nStarting + ready,
      readyWorkers: ready,
      oldestWaitSeconds: oldest >= 0 ? (t - (this.arrival[oldest] ?? t)) / 1000 : 0,
      cpuUsage: this.cpu.percent(t, f.busy.size, ready),
      currentCostPerHour: f.paid() * this.o.costPerWorkerHour,
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
    const f = this.fleet;
    this.advance(t);
    let provisioned = f.provisioned();
    if (target !== provisioned) {
      this.scaleActions++;
      if (t >= this.scoreFrom) this.scoreActions++;
    }
    while (provisioned < target) {
      // A draining worker can be kept (the process pool cancels its stop); a deleted pod cannot.
      if (!this.kubernetes && f.draining.size > 0) f.undrain();
      else this.heap.push(t + this.startupMs, (f.start(t) << 2) | EV_READY);
      provisioned++;
    }
    while (provisioned > target) {
      if (this.kubernetes) {
        const w = f.deleteLikeReplicaSet(t);
        if (w >= 0) this.heap.push(t + this.graceMs, (w << 2) | EV_KILL);
      } else {
        f.removeForDrain(this.jobStart);
      }
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
    const workAhead = Number.isFinite(maxPaidMs) ? serviceAheadMs(o.workload) : undefined;
    const q = this.queue;

    for (let i = 0; i < o.initialWorkers; i++) this.fleet.addReady();
    this.logRow(0);

    let nextTick = 0;
    let ticks = 0;
    let aborted: 'slo' | 'cost' | undefined;
    let stopMs = 0;
    for (;;) {
      const tHeap = this.heap.peekTime();
      const tArr = q.arrived < this.n ? (this.arrival[q.arrived] ?? Infinity) : Infinity;
      const tNext = Math.min(tHeap, tArr, nextTick);
      if (q.arrived === this.n && this.completed === this.n) {
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
        const kind = payload & 3;
        if (kind === EV_COMPLETE) this.complete(payload >> 2, tHeap);
        else if (kind === EV_READY) this.workerReady(payload >> 2, tHeap);
        else this.kill(payload >> 2, tHeap);
        this.logRow(tHeap);
      } else if (tArr <= nextTick) {
        this.advance(tArr);
        this.series.arrival(tArr);
        q.arrived++;
        this.dispatch(tArr);
        this.logRow(tArr);
      } else {
        this.advance(nextTick);
        const result = await loop.tick();
        if (result.error !== undefined) {
          this.tickErrors++;
          this.lastTickError = result.error;
        }
        const fc = result.decision?.forecast;
        if (fc) this.series.forecastFor(nextTick + fc.horizonMinutes * 60_000, fc.arrivalsPerMinute);
        nextTick += intervalMs;
        if (++ticks % 4096 === 0) {
          o.onProgress?.(Math.min(1, this.now / endMs));
          // Let timers and I/O run (progress bar, signals) during long runs.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        if (this.misses + q.arrivedBefore(this.now - this.sloMs, this.arrival) > maxMisses) aborted = 'slo';
        else if (this.paidMs + (workAhead?.[q.arrived] ?? 0) > maxPaidMs) aborted = 'cost';
        if (aborted) {
          stopMs = this.now;
          break;
        }
      }
    }
    return this.finish(stopMs, aborted, performance.now() - wallStart);
  }

  // --- Jobs ----------------------------------------------------------------------------------

  private workerReady(w: number, t: number): void {
    if (this.fleet.becomeReady(w, t)) this.dispatch(t);
  }

  private startJob(j: number, w: number, t: number): void {
    this.fleet.setBusy(w, j);
    this.jobStart[j] = t;
    if (this.jobWorker) this.jobWorker[j] = w;
    this.heap.push(t + (this.service[j] ?? 0), (w << 2) | EV_COMPLETE);
  }

  private dispatch(t: number): void {
    const q = this.queue;
    const idle = this.fleet.idle;
    while (idle.length > 0 && q.hasWaiting()) this.startJob(q.take(), idle.pop() ?? 0, t);
  }

  private complete(w: number, t: number): void {
    const f = this.fleet;
    // A killed worker's completion event is stale (its job was put back).
    if (!f.isRunning(w)) return;
    const j = f.jobOf(w);
    this.jobEnd[j] = t;
    this.completed++;
    this.lastCompletion = t;
    const start = this.jobStart[j] ?? t;
    const latency = t - (this.arrival[j] ?? 0);
    if (latency > this.sloMs) this.misses++;
    this.window.add(t, t - start);
    this.series.completion(t, latency);
    if (f.finishJob(w)) return; // it was draining or terminating: now stopped
    if (this.queue.hasWaiting()) this.startJob(this.queue.take(), w, t);
    else f.idle.push(w);
  }

  /** The grace period of a terminating worker ended: kill it; its job goes back to the queue. */
  private kill(w: number, t: number): void {
    const f = this.fleet;
    if (!f.isTerminating(w)) return; // its job finished in time
    const j = f.jobOf(w);
    const start = this.jobStart[j] ?? t;
    f.stopTerminating(w);
    this.killedAttempts++;
    this.killedBusyMs += t - start;
    this.killedLog?.add(j, start, t, w);
    this.jobStart[j] = Number.NaN;
    if (this.jobWorker) this.jobWorker[j] = -1;
    this.queue.putBack(j);
    this.dispatch(t);
  }

  // --- Accounting ----------------------------------------------------------------------------

  /** Integrates the fleet state held since the last event up to `t`. */
  private advance(t: number): void {
    const dt = t - this.lastT;
    if (dt > 0) {
      const f = this.fleet;
      const ready = f.idle.length + f.busy.size + f.draining.size;
      const paid = ready + f.nStarting;
      const busy = f.busy.size + f.draining.size;
      // Peak over states actually held for some time, as the collapsed --workers-out rows show.
      if (paid > this.peakPaid) this.peakPaid = paid;
      this.paidMs += paid * dt;
      this.busyMs += busy * dt;
      if (t > this.scoreFrom) {
        const part = t - Math.max(this.lastT, this.scoreFrom);
        this.scorePaidMs += paid * part;
        this.scoreBusyMs += busy * part;
        if (paid > this.scorePeak) this.scorePeak = paid;
      }
      this.cpu.accumulate(f.busy.size, f.idle.length + f.busy.size, dt);
      this.series.accumulate(this.lastT, t, paid, ready, busy, this.queue.waiting);
      this.lastT = t;
    }
    this.now = t;
  }

  private logRow(t: number): void {
    const f = this.fleet;
    const ready = f.idle.length + f.busy.size + f.draining.size;
    this.log?.record(t, ready + f.nStarting, ready, f.busy.size + f.draining.size);
  }

  private finish(stopMs: number, aborted: 'slo' | 'cost' | undefined, wallMs: number): SimulationRun {
    this.advance(stopMs);
    const workerLog = this.log?.finish(stopMs, 0, 0, 0);
    const o = this.o;
    const base = {
      policy: o.policy.name, arrivalMs: this.arrival, endMs: this.jobEnd, sloSeconds: o.sloSeconds,
      costPerWorkerHour: o.costPerWorkerHour,
    };
    const summary = {
      ...summarize({ ...base, paidMs: this.paidMs, busyMs: this.busyMs, stopMs, peakWorkers: this.peakPaid, scaleActions: this.scaleActions }),
      ...(this.kubernetes ? { killedAttempts: this.killedAttempts, killedWorkerHours: this.killedBusyMs / 3_600_000 } : {}),
    };
    const scored = Number.isFinite(this.scoreFrom) && !aborted && stopMs > this.scoreFrom;
    const secondHalf = scored
      ? summarizeWindow({
        ...base, paidMs: this.scorePaidMs, busyMs: this.scoreBusyMs, stopMs, peakWorkers: this.scorePeak,
        scaleActions: this.scoreActions, fromMs: this.scoreFrom, fromJob: firstJobAtOrAfter(this.arrival, this.scoreFrom),
      })
      : undefined;
    const jobs: JobRecords | undefined = this.jobWorker
      ? {
        arrivalMs: this.arrival, startMs: this.jobStart, endMs: this.jobEnd, worker: this.jobWorker,
        ...(this.killedLog ? { killed: this.killedLog.finish() } : {}),
      }
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
      ...(secondHalf ? { secondHalf } : {}),
      wallMs,
    };
  }
}

/** Simulates one policy on a workload. */
export function simulate(opts: SimulatorOptions): Promise<SimulationRun> {
  return new Simulator(opts).run();
}
