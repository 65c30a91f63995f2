/**
 * Result types of the simulator. `SimulationResult` is what `bountybot simulate` computes and
 * what the HTML report and the benchmark render; `PolicySummary` is the `--json` contract.
 */

/** The `--json` object of one policy (the judges' contract: these fields, these meanings). */
export interface PolicySummary {
  policy: string;
  /** Jobs generated from the trace. */
  jobs: number;
  completed: number;
  /** Jobs that never finished (0 unless a policy left jobs with no worker until the time limit). */
  lost: number;
  /** workerHours × cost_per_worker_hour. */
  cost: number;
  /** ∫ provisioned dt over the billed span (provisioned counts every paid worker, draining ones too), hours. */
  workerHours: number;
  /** Busy worker-time ÷ paid worker-time. */
  utilization: number;
  /** end − arrival of completed jobs, nearest-rank percentiles, seconds. */
  latencySeconds: { p50: number; p95: number; p99: number; max: number };
  sloSeconds: number;
  /** Share of all jobs (unfinished ones count as misses) with end − arrival ≤ sloSeconds. */
  sloAttainment: number;
  /** Times the control loop asked the actuator for a different fleet size. */
  scaleActions: number;
  /** Highest `provisioned` (paid workers). */
  peakWorkers: number;
  /** Time-weighted mean of `provisioned` over the billed span [0, end of billing]. */
  meanWorkers: number;
  /** Parameters a policy ran with (fixed N, tuned targets …). */
  params?: Record<string, number>;
  /** True for reference policies that use knowledge no real controller has (zero-wait). */
  reference?: boolean;
  /** Kubernetes-like scale-down only: jobs whose worker was killed after the grace period (then retried). */
  killedAttempts?: number;
  /** Kubernetes-like scale-down only: busy worker-hours of the killed attempts (paid, wasted). */
  killedWorkerHours?: number;
  /** Our engine's runs: the SLO its config carried (the runs are scored on `sloSeconds`). */
  engineSlo?: EngineSlo;
}

/** A policy's figures over part of its run (the second half): jobs arriving in it, worker-time paid in it. */
export interface WindowSummary extends Omit<PolicySummary, 'policy' | 'params' | 'reference'> {
  /** Start of the scored part, seconds from the trace start. */
  fromSeconds: number;
  /** End of billing, seconds from the trace start. */
  toSeconds: number;
}

/** A tuned baseline tuned on the first part of the trace, then run on the whole trace. */
export interface OutOfSample {
  /** Parameters chosen on [0, trainedUntilSeconds). */
  params: Record<string, number>;
  trainedUntilSeconds: number;
  /** The whole-trace run with those parameters, scored on the held-out part. */
  heldOut: WindowSummary;
  /** Simulations of the training search plus the whole-trace run. */
  simulations: number;
}

/** Cost floor: busy worker-time × price (every policy serves the same jobs, so none can cost less). */
export interface CostFloor {
  /** Σ service time, hours. */
  busyWorkerHours: number;
  cost: number;
}

export type ScaleDownMode = 'drain' | 'kubernetes';

/** What the engine was told about the SLO (its config keys), beside the SLO the runs are scored on. */
export interface EngineSlo {
  /** Values the engine sizes for; undefined when this engine has no such key. */
  sloSeconds?: number;
  sloTarget?: number;
  /** Where they came from. */
  source: 'simulate flags' | 'config file' | 'not in this engine';
}

/** One row per instant at which `provisioned`, `ready` or `busy` changed; times ms from trace start. */
export interface WorkerLog {
  length: number;
  timeMs: Float64Array;
  /** Paid workers: starting, idle, busy and draining. */
  provisioned: Int32Array;
  /** Paid workers that have finished starting: idle, busy and draining. */
  ready: Int32Array;
  /** Workers running a job (draining ones finishing their last job included). */
  busy: Int32Array;
}

/** Per-job record for `--jobs-out`; ms from trace start; end/start NaN and worker −1 for a job that never ran. */
export interface JobRecords {
  arrivalMs: Float64Array;
  /** Start of the attempt that completed (or is running). */
  startMs: Float64Array;
  endMs: Float64Array;
  worker: Int32Array;
  /** Kubernetes-like scale-down: the attempts cut short by a kill, in the order they happened. */
  killed?: KilledAttempts;
}

export interface KilledAttempts {
  length: number;
  job: Int32Array;
  startMs: Float64Array;
  /** When the worker was killed (SIGKILL after the grace period). */
  endMs: Float64Array;
  worker: Int32Array;
}

/**
 * Per-minute samples for charts. Minute i covers [i, i+1) minutes after the trace start; fleet
 * and queue values are time-weighted means over the minute.
 */
export interface SimulationSeries {
  stepSeconds: 60;
  length: number;
  /** Jobs arriving in the minute. */
  arrivals: Float64Array;
  /** The policy's forecast of arrivals per minute for this minute (made `horizon` earlier); NaN when none. */
  forecast: Float64Array;
  provisioned: Float64Array;
  ready: Float64Array;
  busy: Float64Array;
  /** Jobs waiting (not started). */
  queueDepth: Float64Array;
  /** p95 of end − arrival of the jobs that finished in the minute, seconds; NaN when none did. */
  latencyP95Seconds: Float64Array;
}

/** One candidate a search (fixed-peak, tuned policies) simulated. */
export interface SearchStep {
  params: Record<string, number>;
  cost: number;
  sloAttainment: number;
  /** Why the candidate was cut short: it could no longer meet the SLO, or no longer be the cheapest. */
  aborted?: 'slo' | 'cost';
}

export interface SimulationRun {
  policy: string;
  description: string;
  summary: PolicySummary;
  series: SimulationSeries;
  /** Present when jobs were recorded (single-policy runs with --jobs-out, tests). */
  jobs?: JobRecords;
  /** Present when the worker log was recorded (--workers-out, tests). */
  workerLog?: WorkerLog;
  /** End of billing, ms after the trace start: max(end of trace, last completion). */
  stopMs: number;
  /** Simulations this policy needed (more than 1 for searches). */
  simulations: number;
  /** Candidates of a search, in the order tried. */
  search?: SearchStep[];
  /** Control-loop ticks that failed (policy or adapter threw), and the last message. */
  tickErrors: number;
  lastTickError?: string;
  /** Set when the run was cut short (only ever for search candidates). */
  aborted?: 'slo' | 'cost';
  wallMs: number;
  /** The same run scored on the second half of the trace (whole-trace runs only). */
  secondHalf?: WindowSummary;
  /** Tuned baselines: tuned on the first half, run on the whole trace, scored on the second half. */
  outOfSample?: OutOfSample;
}

export interface WorkloadInfo {
  source: string;
  /** Epoch ms of the trace start (simulation time 0), ISO. */
  start: string;
  binSeconds: number;
  /** End of arrivals, seconds after start. */
  durationSeconds: number;
  scale: number;
  jobs: number;
  serviceTimeSeconds: number;
  serviceCv: number;
  peakHourLoad: number;
  peakBinLoad: number;
}

export interface SimulationSettings {
  seed: number;
  startupSeconds: number;
  intervalSeconds: number;
  sloSeconds: number;
  /** SLO attainment a search must reach (fixed-peak, tuned policies). */
  sloTarget: number;
  metricsWindowMinutes: number;
  costPerWorkerHour: number;
  /** Upper bound of the fleet for every autoscaling policy (see `workloadMaxWorkers`). */
  maxWorkers: number;
  minWorkers: number;
  /** Whether the config's budgets bind in the simulation. */
  enforceBudgets: boolean;
  /** How workers are removed: drain (idle first, busy ones finish) or as a Kubernetes ReplicaSet does. */
  scaleDown: ScaleDownMode;
  /** Kubernetes-like scale-down: seconds a busy worker gets after SIGTERM before its job is killed and retried. */
  graceSeconds: number;
  /** Start of the second half (held-out part), seconds from the trace start. */
  secondHalfFromSeconds: number;
}

export interface SimulationResult {
  workload: WorkloadInfo;
  settings: SimulationSettings;
  runs: SimulationRun[];
  floor: CostFloor;
  /** Floor of the second half: service time of the jobs arriving in it × price. */
  secondHalfFloor: CostFloor;
}
