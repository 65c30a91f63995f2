/**
 * Bookkeeping for one simulation: the `--workers-out` change log, the per-minute series for
 * reports, and the sliding metrics window a live collector would keep. Typed arrays that grow
 * by doubling; nothing is allocated per event.
 */
import { selectPercentile } from './stats.js';
import type { SimulationSeries, WorkerLog } from './types.js';

function growF64(a: Float64Array<ArrayBuffer>, min: number): Float64Array<ArrayBuffer> {
  let cap = Math.max(16, a.length);
  while (cap < min) cap *= 2;
  if (cap === a.length) return a;
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

function growI32(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  let cap = Math.max(16, a.length);
  while (cap < min) cap *= 2;
  if (cap === a.length) return a;
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** `time,provisioned,ready,busy` rows, one per instant at which any of them changed. */
export class WorkerLogRecorder {
  private time = new Float64Array(1024);
  private provisioned = new Int32Array(1024);
  private ready = new Int32Array(1024);
  private busy = new Int32Array(1024);
  private n = 0;

  record(tMs: number, provisioned: number, ready: number, busy: number): void {
    const last = this.n - 1;
    if (last >= 0) {
      if (this.provisioned[last] === provisioned && this.ready[last] === ready && this.busy[last] === busy) return;
      if (this.time[last] === tMs) {
        // Several changes at one instant: keep only the state after the last of them.
        this.provisioned[last] = provisioned;
        this.ready[last] = ready;
        this.busy[last] = busy;
        if (last > 0 && this.provisioned[last - 1] === provisioned && this.ready[last - 1] === ready && this.busy[last - 1] === busy) {
          this.n--;
        }
        return;
      }
    }
    if (this.n === this.time.length) {
      this.time = growF64(this.time, this.n + 1);
      this.provisioned = growI32(this.provisioned, this.n + 1);
      this.ready = growI32(this.ready, this.n + 1);
      this.busy = growI32(this.busy, this.n + 1);
    }
    this.time[this.n] = tMs;
    this.provisioned[this.n] = provisioned;
    this.ready[this.n] = ready;
    this.busy[this.n] = busy;
    this.n++;
  }

  /** Always ends with a row at `tMs` (the end of billing), even if nothing changed then. */
  finish(tMs: number, provisioned: number, ready: number, busy: number): WorkerLog {
    this.record(tMs, provisioned, ready, busy);
    if (this.time[this.n - 1] !== tMs) {
      this.time = growF64(this.time, this.n + 1);
      this.provisioned = growI32(this.provisioned, this.n + 1);
      this.ready = growI32(this.ready, this.n + 1);
      this.busy = growI32(this.busy, this.n + 1);
      this.time[this.n] = tMs;
      this.provisioned[this.n] = provisioned;
      this.ready[this.n] = ready;
      this.busy[this.n] = busy;
      this.n++;
    }
    return {
      length: this.n,
      timeMs: this.time.slice(0, this.n),
      provisioned: this.provisioned.slice(0, this.n),
      ready: this.ready.slice(0, this.n),
      busy: this.busy.slice(0, this.n),
    };
  }
}

const MINUTE_MS = 60_000;

/** Per-minute series: time-weighted means of fleet and queue, arrivals, forecast, latency p95. */
export class SeriesRecorder {
  private arrivals = new Float64Array(0);
  private forecast = new Float64Array(0);
  private provisioned = new Float64Array(0);
  private ready = new Float64Array(0);
  private busy = new Float64Array(0);
  private queue = new Float64Array(0);
  private p95 = new Float64Array(0);
  private minutes = 0;
  private latencies = new Float64Array(256);
  private latencyCount = 0;
  private latencyMinute = 0;

  private ensure(minute: number): void {
    if (minute < this.minutes) return;
    const need = minute + 1;
    if (need > this.arrivals.length) {
      this.arrivals = growF64(this.arrivals, need);
      this.forecast = growNaN(this.forecast, need);
      this.provisioned = growF64(this.provisioned, need);
      this.ready = growF64(this.ready, need);
      this.busy = growF64(this.busy, need);
      this.queue = growF64(this.queue, need);
      this.p95 = growNaN(this.p95, need);
    }
    this.minutes = need;
  }

  /** Adds the state held over [fromMs, toMs) to the minute buckets it covers. */
  accumulate(fromMs: number, toMs: number, paid: number, ready: number, busy: number, waiting: number): void {
    let t = fromMs;
    while (t < toMs) {
      const m = Math.floor(t / MINUTE_MS);
      const end = Math.min(toMs, (m + 1) * MINUTE_MS);
      const w = (end - t) / MINUTE_MS;
      this.ensure(m);
      this.provisioned[m] = (this.provisioned[m] ?? 0) + paid * w;
      this.ready[m] = (this.ready[m] ?? 0) + ready * w;
      this.busy[m] = (this.busy[m] ?? 0) + busy * w;
      this.queue[m] = (this.queue[m] ?? 0) + waiting * w;
      t = end;
    }
  }

  arrival(tMs: number): void {
    const m = Math.floor(tMs / MINUTE_MS);
    this.ensure(m);
    this.arrivals[m] = (this.arrivals[m] ?? 0) + 1;
  }

  /** A forecast of the arrival rate (per minute) for the minute containing `forMs`. */
  forecastFor(forMs: number, perMinute: number): void {
    if (!Number.isFinite(perMinute)) return;
    const m = Math.floor(forMs / MINUTE_MS);
    this.ensure(m);
    this.forecast[m] = perMinute;
  }

  completion(endMs: number, latencyMs: number): void {
    const m = Math.floor(endMs / MINUTE_MS);
    if (m !== this.latencyMinute) this.flushLatency(m);
    if (this.latencyCount === this.latencies.length) this.latencies = growF64(this.latencies, this.latencyCount + 1);
    this.latencies[this.latencyCount++] = latencyMs;
  }

  private flushLatency(nextMinute: number): void {
    if (this.latencyCount > 0) {
      this.ensure(this.latencyMinute);
      this.p95[this.latencyMinute] = selectPercentile(this.latencies, this.latencyCount, 95) / 1000;
    }
    this.latencyCount = 0;
    this.latencyMinute = nextMinute;
  }

  finish(stopMs: number): SimulationSeries {
    this.flushLatency(this.latencyMinute);
    const length = Math.max(1, Math.ceil(stopMs / MINUTE_MS));
    this.ensure(length - 1);
    // The last minute may be partial: its means are over the billed part only.
    const lastPart = (stopMs - (length - 1) * MINUTE_MS) / MINUTE_MS;
    const cut = (a: Float64Array): Float64Array => a.slice(0, length);
    const series: SimulationSeries = {
      stepSeconds: 60,
      length,
      arrivals: cut(this.arrivals),
      forecast: cut(this.forecast),
      provisioned: cut(this.provisioned),
      ready: cut(this.ready),
      busy: cut(this.busy),
      queueDepth: cut(this.queue),
      latencyP95Seconds: cut(this.p95),
    };
    if (lastPart > 0 && lastPart < 1) {
      for (const a of [series.provisioned, series.ready, series.busy, series.queueDepth]) {
        a[length - 1] = (a[length - 1] ?? 0) / lastPart;
      }
    }
    return series;
  }
}

function growNaN(a: Float64Array<ArrayBuffer>, min: number): Float64Array<ArrayBuffer> {
  const old = a.length;
  const b = growF64(a, min);
  if (b !== a) b.fill(Number.NaN, old);
  return b;
}

/** Completions inside the sliding metrics window, as a live metrics collector would keep them. */
export class CompletionWindow {
  private end = new Float64Array(1024);
  private proc = new Float64Array(1024);
  private head = 0;
  private size = 0;
  private sumProcMs = 0;
  private scratch = new Float64Array(1024);

  constructor(private readonly windowMs: number) {}

  add(endMs: number, processingMs: number): void {
    if (this.size === this.end.length) this.growRing();
    const i = (this.head + this.size) % this.end.length;
    this.end[i] = endMs;
    this.proc[i] = processingMs;
    this.size++;
    this.sumProcMs += processingMs;
  }

  /** Drops completions at or before `nowMs - window`. */
  evict(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    const cap = this.end.length;
    while (this.size > 0 && (this.end[this.head] ?? 0) <= cutoff) {
      this.sumProcMs -= this.proc[this.head] ?? 0;
      this.head = (this.head + 1) % cap;
      this.size--;
    }
  }

  get count(): number {
    return this.size;
  }

  meanProcessingMs(): number {
    return this.size > 0 ? this.sumProcMs / this.size : 0;
  }

  /** Coefficient of variation (std ÷ mean) of processing time in the window; NaN with fewer than 2. */
  processingCv(): number {
    if (this.size < 2) return Number.NaN;
    const mean = this.sumProcMs / this.size;
    const cap = this.end.length;
    let squares = 0;
    for (let k = 0; k < this.size; k++) {
      const d = (this.proc[(this.head + k) % cap] ?? 0) - mean;
      squares += d * d;
    }
    return mean > 0 ? Math.sqrt(squares / (this.size - 1)) / mean : Number.NaN;
  }

  p95ProcessingMs(): number {
    if (this.size === 0) return Number.NaN;
    if (this.scratch.length < this.size) this.scratch = growF64(this.scratch, this.size);
    const cap = this.end.length;
    for (let k = 0; k < this.size; k++) this.scratch[k] = this.proc[(this.head + k) % cap] ?? 0;
    return selectPercentile(this.scratch, this.size, 95);
  }

  private growRing(): void {
    const cap = this.end.length * 2;
    const e = new Float64Array(cap);
    const p = new Float64Array(cap);
    for (let k = 0; k < this.size; k++) {
      e[k] = this.end[(this.head + k) % this.end.length] ?? 0;
      p[k] = this.proc[(this.head + k) % this.end.length] ?? 0;
    }
    this.end = e;
    this.proc = p;
    this.head = 0;
  }
}

/** A set of small integer ids with O(1) add/remove and iteration (worker ids by state). */
export class IdSet {
  private items = new Int32Array(64);
  private pos = new Int32Array(64).fill(-1);
  size = 0;

  has(id: number): boolean {
    return id < this.pos.length && (this.pos[id] ?? -1) >= 0;
  }

  add(id: number): void {
    if (id >= this.pos.length) {
      const old = this.pos.length;
      this.pos = growI32(this.pos, id + 1);
      this.pos.fill(-1, old);
    }
    if ((this.pos[id] ?? -1) >= 0) return;
    if (this.size === this.items.length) this.items = growI32(this.items, this.size + 1);
    this.items[this.size] = id;
    this.pos[id] = this.size++;
  }

  remove(id: number): void {
    const p = id < this.pos.length ? (this.pos[id] ?? -1) : -1;
    if (p < 0) return;
    const last = this.items[--this.size] ?? 0;
    this.items[p] = last;
    this.pos[last] = p;
    this.pos[id] = -1;
  }

  at(i: number): number {
    return this.items[i] ?? -1;
  }
}

/**
 * CPU reading of ready (non-draining) workers: busy ÷ ready worker-time over the last `windowMs`
 * (a metrics server reports a rate, not an instant); instantaneous until time has passed.
 */
export class CpuMeter {
  private busyMs = 0;
  private readyMs = 0;
  private readonly snapT: number[] = [];
  private readonly snapBusy: number[] = [];
  private readonly snapReady: number[] = [];

  constructor(private readonly windowMs: number) {}

  accumulate(busy: number, ready: number, dtMs: number): void {
    this.busyMs += busy * dtMs;
    this.readyMs += ready * dtMs;
  }

  /** Percent at `tMs` (call once per evaluation; times increasing). */
  percent(tMs: number, busyNow: number, readyNow: number): number {
    this.snapT.push(tMs);
    this.snapBusy.push(this.busyMs);
    this.snapReady.push(this.readyMs);
    while (this.snapT.length > 1 && (this.snapT[1] ?? 0) <= tMs - this.windowMs) {
      this.snapT.shift();
      this.snapBusy.shift();
      this.snapReady.shift();
    }
    const dReady = this.readyMs - (this.snapReady[0] ?? 0);
    if (dReady > 0) return (100 * (this.busyMs - (this.snapBusy[0] ?? 0))) / dReady;
    return readyNow > 0 ? (busyNow / readyNow) * 100 : 0;
  }
}
