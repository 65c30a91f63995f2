/**
 * Synthetic workload traces for forecast evaluation: the shapes the shared traces do not cover
 * (bursty one-hour LLM traffic, flash crowds on a weekly pattern, level shifts, smooth diurnal,
 * sparse/zero-heavy, 10-minute and hourly bins), each with its own kind of noise. Deterministic
 * from the seed (src/sim/prng.ts), so a bench or a test can regenerate them exactly.
 *
 * Arrivals per bin are Poisson around an intensity that itself varies (log-normal AR(1)
 * fluctuations, on/off batches, sessions that each send a burst of requests), because real
 * traffic is overdispersed: pure Poisson noise would flatter smoothing forecasters.
 */
import { Prng } from './prng.js';
import { buildTrace, type Trace } from './trace.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A Monday, 00:00 UTC. */
const MONDAY = Date.UTC(2025, 0, 6);

export interface SyntheticTrace {
  name: string;
  description: string;
  /** Same seed, same trace. */
  build(seed: number): Trace;
}

/** Poisson(λ): inversion for small λ, a rounded normal (clipped at 0) beyond 500. */
export function poisson(rng: Prng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
  let k = 0;
  let p = Math.exp(-lambda);
  let cdf = p;
  const u = rng.next();
  while (u > cdf && k < 10 * lambda + 50) {
    k += 1;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

/** Log-normal AR(1) multiplier with time constant `tauSteps` and stationary log-σ `sigma`. */
class LogAr1 {
  private x = 0;
  private readonly phi: number;
  constructor(private readonly rng: Prng, tauSteps: number, private readonly sigma: number) {
    this.phi = Math.exp(-1 / tauSteps);
  }

  next(): number {
    this.x = this.phi * this.x + Math.sqrt(1 - this.phi * this.phi) * this.sigma * this.rng.normal();
    return Math.exp(this.x - (this.sigma * this.sigma) / 2);
  }
}

function fromCounts(name: string, startMs: number, binMs: number, counts: readonly number[]): Trace {
  return buildTrace(name, counts.map((_, i) => startMs + i * binMs), counts);
}

/** Weekday office-style daily shape in [0.25, 1] peaking at 15:00 UTC; weekends at `weekend` of it. */
function diurnal(ms: number, weekend: number): number {
  const hour = ((ms - MONDAY) % DAY) / HOUR;
  const day = Math.floor((ms - MONDAY) / DAY) % 7;
  const shape = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 5) / 20) * Math.PI)) ** 1.5;
  return day >= 5 ? weekend * shape : shape;
}

/** On/off batches like an LLM coding service: dense minutes, then near silence, for a few minutes each. */
function burstyLlmHour(seed: number): Trace {
  const rng = new Prng(seed, 101);
  const counts: number[] = [];
  let on = true;
  let level = 300;
  for (let m = 0; m < 60; m++) {
    if (rng.next() < (on ? 0.25 : 0.45)) {
      on = !on;
      if (on) level = 300 * Math.exp(0.5 * rng.normal());
    }
    counts.push(poisson(rng, on ? level : 0.04 * level));
  }
  return fromCounts('bursty-llm-hour', MONDAY + 18 * HOUR, MINUTE, counts);
}

/** A busy LLM API for one hour: the rate wanders (random walk of its log) and sometimes jumps. */
function wanderingLlmHour(seed: number): Trace {
  const rng = new Prng(seed, 102);
  const counts: number[] = [];
  let log = Math.log(400);
  for (let m = 0; m < 60; m++) {
    log += 0.12 * rng.normal();
    if (rng.next() < 0.08) log += rng.next() < 0.5 ? Math.log(2) : -Math.log(2);
    log = Math.min(Math.log(3000), Math.max(Math.log(40), log));
    counts.push(poisson(rng, Math.exp(log)));
  }
  return fromCounts('wandering-llm-hour', MONDAY + 14 * HOUR, MINUTE, counts);
}

/** One hour ramping from 100 to 500/min with overdispersed (gamma-mixed) minutes. */
function rampingLlmHour(seed: number): Trace {
  const rng = new Prng(seed, 103);
  const counts: number[] = [];
  for (let m = 0; m < 60; m++) {
    const base = 100 + (400 * m) / 59;
    counts.push(poisson(rng, base * Math.exp(0.35 * rng.normal() - 0.06)));
  }
  return fromCounts('ramping-llm-hour', MONDAY + 9 * HOUR, MINUTE, counts);
}

/** Two weeks of busy web traffic (peak 2,000/min) with slow fluctuations and a flash crowd on day 10. */
function flashCrowdWeb(seed: number): Trace {
  const rng = new Prng(seed, 104);
  const fluct = new LogAr1(rng, 20, 0.1);
  const counts: number[] = [];
  const crowdStart = MONDAY + 9 * DAY + 13 * HOUR;
  for (let m = 0; m < 14 * 1440; m++) {
    const t = MONDAY + m * MINUTE;
    const since = (t - crowdStart) / MINUTE;
    const crowd = since < 0 ? 0 : 6 * Math.min(1, since / 15) * Math.exp(-Math.max(0, since - 15) / 240);
    counts.push(poisson(rng, 2000 * diurnal(t, 0.6) * fluct.next() * (1 + crowd)));
  }
  return fromCounts('flash-crowd-web-2w', MONDAY, MINUTE, counts);
}

/** Three days of steady levels that change every few hours by up to 20×. */
function levelShifts(seed: number): Trace {
  const rng = new Prng(seed, 105);
  const counts: number[] = [];
  let level = 100;
  for (let m = 0; m < 3 * 1440; m++) {
    if (rng.next() < 1 / 180) level = 20 * Math.exp(rng.next() * Math.log(20));
    counts.push(poisson(rng, level));
  }
  return fromCounts('level-shifts-3d', MONDAY, MINUTE, counts);
}

/** A week of a smooth sinusoidal day (20 to 180/min) with Poisson noise only. */
function smoothDiurnal(seed: number): Trace {
  const rng = new Prng(seed, 106);
  const counts: number[] = [];
  for (let m = 0; m < 7 * 1440; m++) counts.push(poisson(rng, 100 + 80 * Math.sin((2 * Math.PI * m) / 1440)));
  return fromCounts('smooth-diurnal-7d', MONDAY, MINUTE, counts);
}

/** Three days of 0.3 jobs/min with rare bursts of 30–80 jobs over 1–3 minutes: most minutes are 0. */
function sparseBursts(seed: number): Trace {
  const rng = new Prng(seed, 107);
  const counts: number[] = [];
  let burstLeft = 0;
  let burstRate = 0;
  for (let m = 0; m < 3 * 1440; m++) {
    if (burstLeft === 0 && rng.next() < 0.003) {
      burstLeft = 1 + Math.floor(rng.next() * 3);
      burstRate = (30 + 50 * rng.next()) / burstLeft;
    }
    const extra = burstLeft > 0 ? burstRate : 0;
    if (burstLeft > 0) burstLeft -= 1;
    counts.push(poisson(rng, 0.3 + extra));
  }
  return fromCounts('sparse-bursts-3d', MONDAY, MINUTE, counts);
}

/** A week of low-volume web traffic (~40/min by day): sessions arrive Poisson, each sends a geometric burst. */
function sessionWeb(seed: number): Trace {
  const rng = new Prng(seed, 108);
  const counts: number[] = [];
  for (let m = 0; m < 7 * 1440; m++) {
    const sessions = poisson(rng, 10 * diurnal(MONDAY + m * MINUTE, 0.5));
    let requests = 0;
    for (let s = 0; s < sessions; s++) requests += 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(0.8));
    counts.push(requests);
  }
  return fromCounts('session-web-7d', MONDAY, MINUTE, counts);
}

/** Four weeks of 10-minute bins: weekly pattern, a slow downward drift, fluctuations. */
function weeklyTenMinute(seed: number): Trace {
  const rng = new Prng(seed, 109);
  const fluct = new LogAr1(rng, 6, 0.12);
  const counts: number[] = [];
  const bins = 28 * 144;
  for (let i = 0; i < bins; i++) {
    const t = MONDAY + i * 10 * MINUTE;
    counts.push(poisson(rng, 8000 * diurnal(t, 0.55) * (1 - (0.3 * i) / bins) * fluct.next()));
  }
  return fromCounts('weekly-10min-4w', MONDAY, 10 * MINUTE, counts);
}

/** Eight weeks of hourly bins: weekly pattern with day-to-day fluctuations. */
function weeklyHourly(seed: number): Trace {
  const rng = new Prng(seed, 110);
  const fluct = new LogAr1(rng, 12, 0.1);
  const counts: number[] = [];
  for (let i = 0; i < 56 * 24; i++) counts.push(poisson(rng, 30_000 * diurnal(MONDAY + i * HOUR, 0.5) * fluct.next()));
  return fromCounts('weekly-hourly-8w', MONDAY, HOUR, counts);
}

export const SYNTHETIC_TRACES: readonly SyntheticTrace[] = [
  { name: 'bursty-llm-hour', description: 'one hour of on/off LLM batches (~300/min on, near 0 off), 1-min bins', build: burstyLlmHour },
  { name: 'wandering-llm-hour', description: 'one hour of a busy LLM API whose rate wanders and jumps ×2, 1-min bins', build: wanderingLlmHour },
  { name: 'ramping-llm-hour', description: 'one hour ramping 100 → 500/min, overdispersed minutes, 1-min bins', build: rampingLlmHour },
  { name: 'flash-crowd-web-2w', description: '2 weeks of busy web traffic with a 7× flash crowd on day 10, 1-min bins', build: flashCrowdWeb },
  { name: 'level-shifts-3d', description: '3 days of levels (20–400/min) changing every ~3 h, 1-min bins', build: levelShifts },
  { name: 'smooth-diurnal-7d', description: 'a week of a sinusoidal day (20–180/min), Poisson noise only, 1-min bins', build: smoothDiurnal },
  { name: 'sparse-bursts-3d', description: '3 days at 0.3/min with rare bursts of 30–80 jobs, mostly zeros, 1-min bins', build: sparseBursts },
  { name: 'session-web-7d', description: 'a week of low-volume web traffic in session bursts (overdispersed), 1-min bins', build: sessionWeb },
  { name: 'weekly-10min-4w', description: '4 weeks of a weekly pattern with drift and fluctuations, 10-min bins', build: weeklyTenMinute },
  { name: 'weekly-hourly-8w', description: '8 weeks of a weekly pattern with fluctuations, 1-hour bins', build: weeklyHourly },
];

export function syntheticTrace(name: string, seed: number): Trace {
  const spec = SYNTHETIC_TRACES.find((s) => s.name === name);
  if (spec === undefined) throw new RangeError(`unknown synthetic trace "${name}"; known: ${SYNTHETIC_TRACES.map((s) => s.name).join(', ')}`);
  return spec.build(seed);
}
