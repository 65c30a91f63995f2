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

/**
 * Offered loads (Erlangs) up to which Erlang B and the wait search are exact: twice the largest
 * fleet any setting allows (max_workers ≤ 10,000), so every score sees exact sizes. Beyond it,
 * sizing uses a closed-form bound and Erlang B a normal approximation: every call stays within
 * about two thousand steps whatever the input.
 */
export const EXACT_LOAD_LIMIT = 2e4;
/** Below this load the recursion starts at 1 (bit-for-bit the classic one); above, near the load. */
const SKIP_START_LOAD = 1000;

/** log Φ(z), the standard normal CDF, accurate in the far left tail (Numerical Recipes' erfc). */
function logNormalCdf(z: number): number {
  const x = -z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const poly = -ax * ax - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const logErfcAbs = Math.log(t) + poly;
  // erfc(x) for x ≥ 0 is exp(logErfcAbs); for x < 0 it is 2 − erfc(|x|).
  return x >= 0 ? logErfcAbs - Math.LN2 : Math.log(1 - Math.exp(logErfcAbs) / 2);
}

/**
 * Erlang B for huge loads: the normal approximation of its Poisson form B = pmf(n) / cdf(n), and
 * far below the load (where that tail is poor) the fluid limit 1 − n / load.
 */
function erlangBNormal(servers: number, load: number): number {
  const sigma = Math.sqrt(load);
  const z = (servers - load) / sigma;
  if (z < -10) return (load - servers) / load;
  const logPmf = -0.5 * z * z - Math.log(sigma * Math.sqrt(2 * Math.PI));
  return Math.min(1, Math.exp(logPmf - logNormalCdf(z + 0.5 / sigma)));
}

/**
 * Erlang B blocking probability for `servers` servers and `load` Erlangs (stable recursion).
 * Bounded work: above SKIP_START_LOAD the recursion starts ten standard deviations below the load,
 * from the fluid value 1 − k/load (each step multiplies the start's error by k/load < 1, so it is
 * gone by the time it matters), and stops once the probability underflows to 0.
 */
export function erlangB(servers: number, load: number): number {
  const n = Math.floor(servers);
  if (!(load > 0)) return n >= 1 ? 0 : 1;
  if (load > EXACT_LOAD_LIMIT) return erlangBNormal(n, load);
  let k = 0;
  let b = 1;
  if (load > SKIP_START_LOAD) {
    k = Math.max(0, Math.floor(Math.min(n, load) - 10 * Math.sqrt(load) - 20));
    b = (load - k) / load;
  }
  while (k < n && b > 0) {
    k++;
    b = (load * b) / (k + load * b);
  }
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

/**
 * Smallest N meeting the wait target; walks up from the stability bound, extending Erlang B
 * incrementally. Beyond EXACT_LOAD_LIMIT, the closed-form N = ⌊load⌋ + 1 + ⌈S·f·ln(1/(1−p))/t⌉
 * (which meets the target since Erlang C ≤ 1), capped as the walk is.
 */
export function workersForWait(arrivalsPerSecond: number, serviceSeconds: number, targetWaitSeconds: number, waitPercentile: number, serviceCv = 1): number {
  const load = arrivalsPerSecond * serviceSeconds;
  const factor = variabilityFactor(serviceCv);
  if (load <= 0) return 0;
  const allowed = 1 - waitPercentile;
  let n = Math.floor(load) + 1;
  const ceiling = Math.ceil(load + 20 * Math.sqrt(load) + 50);
  if (!(load <= EXACT_LOAD_LIMIT)) {
    const excess = Math.ceil((serviceSeconds * factor * Math.log(1 / allowed)) / targetWaitSeconds);
    return Math.min(ceiling, n + Math.max(0, excess));
  }
  let b = erlangB(n, load);
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
