/**
 * The simulator's workers: one state per id (ids are never reused), sets by state, and the two
 * ways of removing workers (see simulator.ts): drain, or as a Kubernetes ReplicaSet deletes pods.
 * A draining worker (drain mode) and a terminating one (Kubernetes mode) share one state: busy
 * with its last job, paid, taking no other.
 */
import { IdSet } from './recorders.js';
import { deletionKey } from './replica-set.js';
import type { KilledAttempts } from './types.js';

const STOPPED = 0;
const STARTING = 1;
const IDLE = 2;
const BUSY = 3;
const DRAINING = 4;

export class WorkerTable {
  private state = new Uint8Array(256);
  private job = new Int32Array(256);
  private createdAt = new Float64Array(256);
  private readyAt = new Float64Array(256);
  private count = 0;
  /** Idle ready workers; the last one takes the next job. */
  readonly idle: number[] = [];
  /** Workers requested while starting, in request order (entries that stopped or became ready are stale). */
  private starting: number[] = [];
  readonly busy = new IdSet();
  readonly draining = new IdSet();
  nStarting = 0;

  /** Starting + idle + busy (draining/terminating ones are no longer counted). */
  provisioned(): number {
    return this.nStarting + this.idle.length + this.busy.size;
  }

  /** Every worker still paid for. */
  paid(): number {
    return this.provisioned() + this.draining.size;
  }

  /** A worker ready at time 0 (warm start). */
  addReady(): void {
    this.idle.push(this.newWorker(IDLE, 0, 0));
  }

  /** Requests a worker at `t`; returns its id (the caller schedules its start-up). */
  start(t: number): number {
    const w = this.newWorker(STARTING, t, Number.NaN);
    this.starting.push(w);
    this.nStarting++;
    return w;
  }

  /** Start-up done; false when the worker was removed meanwhile. */
  becomeReady(w: number, t: number): boolean {
    if (this.state[w] !== STARTING) return false;
    this.nStarting--;
    this.state[w] = IDLE;
    this.readyAt[w] = t;
    this.idle.push(w);
    if (this.nStarting === 0) this.starting.length = 0;
    return true;
  }

  setBusy(w: number, j: number): void {
    this.state[w] = BUSY;
    this.busy.add(w);
    this.job[w] = j;
  }

  jobOf(w: number): number {
    return this.job[w] ?? 0;
  }

  /** Running a job (busy, draining or terminating). */
  isRunning(w: number): boolean {
    const s = this.state[w];
    return s === BUSY || s === DRAINING;
  }

  isTerminating(w: number): boolean {
    return this.state[w] === DRAINING;
  }

  /** Its job ended: true when the worker stops with it (draining/terminating), else it is idle now (not yet in `idle`). */
  finishJob(w: number): boolean {
    if (this.state[w] === DRAINING) {
      this.draining.remove(w);
      this.state[w] = STOPPED;
      return true;
    }
    this.busy.remove(w);
    this.state[w] = IDLE;
    return false;
  }

  /** Cancels the newest drain (drain mode, on scale-up). */
  undrain(): void {
    const w = this.draining.at(this.draining.size - 1);
    this.draining.remove(w);
    this.state[w] = BUSY;
    this.busy.add(w);
  }

  /** Drain mode: removes an idle worker, else the newest starting one, else drains the busy one whose job has run longest. */
  removeForDrain(jobStart: Float64Array): void {
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
    for (let i = 0; i < this.busy.size; i++) {
      const w = this.busy.at(i);
      const s = jobStart[this.job[w] ?? 0] ?? 0;
      if (s < earliest) {
        earliest = s;
        victim = w;
      }
    }
    if (victim >= 0) this.drain(victim);
  }

  /**
   * Kubernetes mode: deletes the pod a ReplicaSet would (replica-set.ts). Returns the id of a busy
   * worker that is now terminating (the caller schedules its kill), or −1 when the pod stopped at once.
   */
  deleteLikeReplicaSet(t: number): number {
    if (this.nStarting > 0) {
      let best = -1;
      let bestKey = Infinity;
      for (const w of this.starting) {
        if (this.state[w] !== STARTING) continue;
        const key = deletionKey(t, this.createdAt[w] ?? 0, w);
        if (key < bestKey) {
          bestKey = key;
          best = w;
        }
      }
      this.state[best] = STOPPED;
      if (--this.nStarting === 0) this.starting.length = 0;
      else if (this.starting.length > 4 * this.nStarting + 64) this.starting = this.starting.filter((w) => this.state[w] === STARTING);
      return -1;
    }
    let best = -1;
    let bestKey = Infinity;
    let bestIdle = -1;
    for (let i = 0; i < this.idle.length; i++) {
      const w = this.idle[i] ?? 0;
      const key = deletionKey(t, this.readyAt[w] ?? 0, w);
      if (key < bestKey) {
        bestKey = key;
        best = w;
        bestIdle = i;
      }
    }
    for (let i = 0; i < this.busy.size; i++) {
      const w = this.busy.at(i);
      const key = deletionKey(t, this.readyAt[w] ?? 0, w);
      if (key < bestKey) {
        bestKey = key;
        best = w;
        bestIdle = -1;
      }
    }
    if (best < 0) return -1;
    if (bestIdle >= 0) {
      const last = this.idle.pop() ?? best;
      if (last !== best) this.idle[bestIdle] = last;
      this.state[best] = STOPPED;
      return -1;
    }
    this.drain(best);
    return best;
  }

  /** A terminating worker is killed: it stops; its job is the caller's to put back. */
  stopTerminating(w: number): void {
    this.draining.remove(w);
    this.state[w] = STOPPED;
  }

  private drain(w: number): void {
    this.busy.remove(w);
    this.state[w] = DRAINING;
    this.draining.add(w);
  }

  private newWorker(state: number, createdAt: number, readyAt: number): number {
    const w = this.count++;
    if (w >= this.state.length) {
      const cap = this.state.length * 2;
      const s = new Uint8Array(cap);
      s.set(this.state);
      this.state = s;
      this.job = grow(this.job, new Int32Array(cap));
      this.createdAt = grow(this.createdAt, new Float64Array(cap));
      this.readyAt = grow(this.readyAt, new Float64Array(cap));
    }
    this.state[w] = state;
    this.createdAt[w] = createdAt;
    this.readyAt[w] = readyAt;
    return w;
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The attempts cut short by a kill (Kubernetes-like scale-down), for `--jobs-out`. */
export class KilledLog {
  private job: number[] = [];
  private start: number[] = [];
  private end: number[] = [];
  private worker: number[] = [];

  add(job: number, startMs: number, endMs: number, worker: number): void {
    this.job.push(job);
    this.start.push(startMs);
    this.end.push(endMs);
    this.worker.push(worker);
  }

  finish(): KilledAttempts {
    return {
      length: this.job.length, job: Int32Array.from(this.job), startMs: Float64Array.from(this.start),
      endMs: Float64Array.from(this.end), worker: Int32Array.from(this.worker),
    };
  }
}
