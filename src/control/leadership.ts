/**
 * Taking the controller lease at start-up, over any LeaderElector (SQLite lease row today; a Redis
 * lease or a Kubernetes Lease later). A live owner is told apart from a dead one by whether it
 * renews its lease, never by probing its pid: a `kill -9`ed controller can stay a zombie pid for
 * as long as its parent does not reap it, and a pid says nothing about another host.
 */
import { UsageError } from '../autoscaling/errors.js';
import type { Actuator, LoopClock } from './interfaces.js';
import type { LeaderElector, Leadership } from './ports.js';

/** Another live controller holds the lease on this store. Exit code 2. */
export class ControllerConflictError extends UsageError {
  constructor(message: string) {
    super(message, { code: 'CONTROLLER_CONFLICT' });
  }
}

export interface AcquireOptions {
  /** How often to look at the holder's lease while waiting, ms (well under its renew period). */
  pollMs: number;
  /** Give up (conflict) after this long when the holder's expiry is unknown, ms. */
  maxWaitMs: number;
  signal?: AbortSignal;
  /** Told once when the lease is held by someone else and we wait for it to expire. */
  onWait?: (held: Leadership) => void;
  /**
   * A standby replica (a shared store, several controllers): a live holder is no conflict; wait,
   * checking every `pollMs`, until its lease runs out unrenewed (it died or let go), however long.
   */
  standby?: boolean;
}

/**
 * Resolves once this replica holds the lease. When another holder has it: waits; if the holder
 * renews (its expiry moves) it is alive and this throws ControllerConflictError; if the lease
 * runs out unrenewed, the holder is dead and the lease is taken over (a fresh fencing token).
 */
export async function acquireLeadership(elector: LeaderElector, clock: LoopClock, opts: AcquireOptions): Promise<Leadership> {
  const startedAt = clock.now().getTime();
  const first = await elector.tick(startedAt);
  if (first.leader) return first;
  opts.onWait?.(first);
  if (opts.standby) return standBy(elector, clock, opts);
  const deadline = first.expiresAt !== undefined ? first.expiresAt + 2 * opts.pollMs : startedAt + opts.maxWaitMs;
  for (;;) {
    const now = clock.now().getTime();
    const untilExpiry = (first.expiresAt ?? now) - now;
    await clock.sleep(Math.max(1, Math.min(opts.pollMs, untilExpiry + 1)), opts.signal);
    if (opts.signal?.aborted) throw new ControllerConflictError('stopped while waiting for the controller lease');
    const t = clock.now().getTime();
    const seen = await elector.tick(t);
    if (seen.leader) return seen;
    const renewed = seen.holder !== first.holder || (seen.expiresAt ?? 0) > (first.expiresAt ?? 0);
    if (renewed || t >= deadline) throw conflict(seen.holder !== undefined ? seen : first, t);
  }
}

async function standBy(elector: LeaderElector, clock: LoopClock, opts: AcquireOptions): Promise<Leadership> {
  for (;;) {
    await clock.sleep(opts.pollMs, opts.signal);
    if (opts.signal?.aborted) throw new ControllerConflictError('stopped while standing by for the controller lease');
    const seen = await elector.tick(clock.now().getTime());
    if (seen.leader) return seen;
  }
}

function conflict(held: Leadership, now: number): ControllerConflictError {
  const left = held.expiresAt !== undefined ? ` (its lease runs to ${new Date(held.expiresAt).toISOString()}, ${Math.max(0, Math.round((held.expiresAt - now) / 100) / 10)} s from now)` : '';
  return new ControllerConflictError(
    `another controller (${held.holder ?? 'unknown'}) is running on this database and renewing its lease${left}; stop it first`);
}

/**
 * The actuator, callable only while this replica holds the lease: the leader re-checks right
 * before every scale call, so a replica that lost its lease (paused past expiry) never acts.
 */
export function leaderOnly(actuator: Actuator, elector: Pick<LeaderElector, 'current'>, clock: Pick<LoopClock, 'now'>): Actuator {
  return {
    fleet: () => actuator.fleet(),
    scaleTo: (target, reasoning) => {
      const l = elector.current();
      if (!l.leader || (l.expiresAt !== undefined && clock.now().getTime() >= l.expiresAt)) {
        return Promise.reject(new Error(`not acting: this controller does not hold the lease (holder: ${l.holder ?? 'unknown'})`));
      }
      return actuator.scaleTo(target, reasoning);
    },
  };
}
