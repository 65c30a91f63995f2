/**
 * The simulator's FIFO job queue. Jobs are numbered in arrival order, so the queue is the index
 * range [head, arrived) plus the jobs put back after their worker was killed (Kubernetes-like
 * scale-down). A job put back keeps its original enqueue time: it was dispatched before every job
 * still in the range, so it is served first, oldest first.
 */
export class JobQueue {
  /** Jobs that have arrived (the next arrival is job `arrived`). */
  arrived = 0;
  /** First job of the FIFO range not yet dispatched. */
  head = 0;
  private retry = new Int32Array(16);
  private retries = 0;

  /** Jobs waiting for a worker. */
  get waiting(): number {
    return this.arrived - this.head + this.retries;
  }

  hasWaiting(): boolean {
    return this.retries > 0 || this.head < this.arrived;
  }

  /** Job to dispatch next (call only when hasWaiting()). */
  take(): number {
    return this.retries > 0 ? this.popRetry() : this.head++;
  }

  /** Puts job `j` back (its worker was killed); it keeps its place by arrival. */
  putBack(j: number): void {
    if (this.retries === this.retry.length) {
      const r = new Int32Array(this.retry.length * 2);
      r.set(this.retry);
      this.retry = r;
    }
    let i = this.retries++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = this.retry[parent] ?? 0;
      if (p <= j) break;
      this.retry[i] = p;
      i = parent;
    }
    this.retry[i] = j;
  }

  /** The oldest waiting job (by arrival), or -1 when none waits. */
  oldest(): number {
    if (this.retries > 0) return this.retry[0] ?? -1;
    return this.head < this.arrived ? this.head : -1;
  }

  /** Waiting jobs that arrived before `cutoffMs` (binary search over the FIFO range, scan of the few put back). */
  arrivedBefore(cutoffMs: number, arrivalMs: Float64Array): number {
    let late = 0;
    for (let k = 0; k < this.retries; k++) if ((arrivalMs[this.retry[k] ?? 0] ?? 0) < cutoffMs) late++;
    if (this.head >= this.arrived || (arrivalMs[this.head] ?? 0) >= cutoffMs) return late;
    let lo = this.head;
    let hi = this.arrived;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((arrivalMs[mid] ?? 0) < cutoffMs) lo = mid + 1;
      else hi = mid;
    }
    return late + lo - this.head;
  }

  private popRetry(): number {
    const top = this.retry[0] ?? 0;
    const last = this.retry[--this.retries] ?? 0;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.retries) break;
      const r = l + 1;
      const c = r < this.retries && (this.retry[r] ?? 0) < (this.retry[l] ?? 0) ? r : l;
      if ((this.retry[c] ?? 0) >= last) break;
      this.retry[i] = this.retry[c] ?? 0;
      i = c;
    }
    this.retry[i] = last;
    return top;
  }
}
