/**
 * Which pods a Kubernetes ReplicaSet deletes on scale-down (`getPodsToDelete`, which sorts by
 * `controller.ActivePodsWithRanks`), reduced to what the simulator's workers have:
 * 1. unscheduled / pending / not-ready pods before ready ones (our starting workers first);
 * 2. between two ready pods, the one ready for less time first; between two not-ready pods, the
 *    newer one first (pod-deletion-cost, co-location and restart counts are equal here);
 * 3. with LogarithmicScaleDown (on by default since Kubernetes 1.22) those times compare on a
 *    log2 scale of the age in nanoseconds, and pods in the same bucket are ordered by UID, which is
 *    random: here a fixed hash of the worker id stands in for it.
 * Idleness plays no part: a busy pod may be chosen while idle ones stay.
 */

/** Kubernetes' logarithmic rank of an age: floor(log2(age in ns)), or −1 for an age ≤ 0. */
export function logRank(ageMs: number): number {
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

/** A fixed pseudo-random 32-bit value per worker, standing in for the pod UID (ties only). */
export function podUid(worker: number): number {
  let x = Math.imul(worker + 1, 0x9e3779b1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Sort key of a pod within its readiness class: smaller is deleted first. `sinceMs` is when it
 * became ready (ready pods) or was created (not-ready pods).
 */
export function deletionKey(nowMs: number, sinceMs: number, worker: number): number {
  // Rank in the high part, UID in the low 32 bits; ranks are small (< 128), so this stays exact.
  return logRank(nowMs - sinceMs) * 2 ** 32 + podUid(worker);
}
