/**
 * Capacity model: how many workers a Poisson stream of validations needs.
 * Each worker serves one validation at a time (an M/M/N queue); the fleet must
 *   1. start `waitPercentile` of validations within `targetWaitSeconds` (Erlang C),
 *   2. keep each worker at most `maxUtilization` busy,
 *   3. drain the current backlog within `backlogDrainSeconds` while serving new arrivals.
 * The answer is the largest of the three, each reported with its reason.
 * Service times that vary less than exponential ones (cv < 1) queue less: the wait tail is
 * scaled by the Allen–Cunneen factor (1 + cv²) / 2 (Poisson arrivals), which turns M/M/N into an
 * M/G/N approximation.
 */

export interface CapacityInput {
  /** Arrivals per minute the fleet must serve. */
  arrivalsPerMinute: number;
  /** Mean processing time of one validation, seconds (> 0). */
  serviceSeconds: number;
  /** Validations already waiting. */
  queueDepth: number;
  targetWaitSeconds: number;
  /** Share of validations that must start within the target wait, in (0, 1). */
  waitPercentile: number;
  backlogDrainSeconds: number;
  /** In (0, 1]. */
  maxUtilization: number;
  /** Coefficient of variation of service time; default 1 (exponential, M/M/N). */
  serviceCv?: number;
}

export interface CapacityPlan {
  workers: number;
  /** Offered load in workers (arrival rate × service time). */
  offeredLoad: number;
  byWait: number;
  byUtilization: number;
  byBacklog: number;
  /** Which constraint set `workers`. */
  binding: 'wait' | 'utilization' | 'backlog' | 'idle';
  reason: string;
}

/** Erlang B blocking probability for `servers` servers and `load` Erlangs (stable recursion). */
export function erlangB(servers: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b);
  return b;
}

/** Erlang C: probability that an arrival has to wait, for `servers` > `load`. 1 when unstable. */
export function erlangC(servers: number, load: number): number {
  if (load <= 0) return 0;
  if (servers <= load) return 1;
  const b = erlangB(servers, load);
  return (servers * b) / (servers - load * (1 - b));
}

/** Allen–Cunneen variability factor (ca² + cs²) / 2 with Poisson arrivals, cv clamped to [0, 3]. */
export function variabilityFactor(serviceCv = 1): number {
  const cv = Number.isFinite(serviceCv) ? Math.min(3, Math.max(0, serviceCv)) : 1;
  return Math.max(0.5, (1 + cv * cv) / 2);
}

/** P(wait > t) in an M/M/N queue, or approximately in M/G/N when `serviceCv` is given. */
export function probabilityWaitExceeds(servers: number, arrivalsPerSecond: number, serviceSeconds: number, t: number, serviceCv = 1): number {
  const load = arrivalsPerSecond * serviceSeconds;
  if (load <= 0) return 0;
  if (servers <= load) return 1;
  const c = erlangC(servers, load);
  return c * Math.exp(-((servers / serviceSeconds - arrivalsPerSecond) * t) / variabilityFactor(serviceCv));
}

/** Smallest N meeting the wait target; walks up from the stability bound, extending Erlang B incrementally. */
export function workersForWait(arrivalsPerSecond: number, serviceSeconds: number, targetWaitSeconds: number, waitPercentile: number, serviceCv = 1): number {
  const load = arrivalsPerSecond * serviceSeconds;
  const factor = variabilityFactor(serviceCv);
  if (load <= 0) return 0;
  const allowed = 1 - waitPercentile;
  let n = Math.floor(load) + 1;
  let b = erlangB(n, load);
  const ceiling = Math.ceil(load + 20 * Math.sqrt(load) + 50);
  // b holds Erlang B for n at each iteration; the recursion extends it to n + 1.
  for (; n < ceiling; n++) {
    const c = (n * b) / (n - load * (1 - b));
    const pWait = c * Math.exp(-((n / serviceSeconds - arrivalsPerSecond) * targetWaitSeconds) / factor);
    if (pWait <= allowed) return n;
    b = (load * b) / (n + 1 + load * b);
  }
  return ceiling;
}

export function planCapacity(input: CapacityInput): CapacityPlan {
  const rate = Math.max(0, input.arrivalsPerMinute) / 60;
  const service = input.serviceSeconds;
  const queue = Math.max(0, input.queueDepth);
  const offeredLoad = rate * service;
  const byWait = workersForWait(rate, service, input.targetWaitSeconds, input.waitPercentile, input.serviceCv ?? 1);
  const byUtilization = Math.ceil(offeredLoad / input.maxUtilization - 1e-9);
  // Drain Q within T while serving λ: (N/S − λ)·T ≥ Q  ⇒  N ≥ S·(λ + Q/T).
  const byBacklog = queue > 0 ? Math.ceil(service * (rate + queue / input.backlogDrainSeconds) - 1e-9) : 0;
  const workers = Math.max(byWait, byUtilization, byBacklog);
  let binding: CapacityPlan['binding'] = 'idle';
  if (workers > 0) binding = workers === byBacklog && byBacklog > Math.max(byWait, byUtilization) ? 'backlog' : workers === byWait ? 'wait' : 'utilization';
  const reason = workers === 0
    ? 'Size: no arrivals and no backlog, 0 workers needed'
    : `Size: ${workers} workers for ${(rate * 60).toFixed(2)}/min at ${service.toFixed(1)}s each ` +
      `(load ${offeredLoad.toFixed(2)}; wait ${byWait}, utilization ${byUtilization}, backlog ${byBacklog} → ${binding} binds)`;
  return { workers, offeredLoad, byWait, byUtilization, byBacklog, binding, reason };
}
