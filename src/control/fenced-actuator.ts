/**
 * The fencing check in front of an actuator: with several controller replicas, every scale call
 * first proves this replica still leads with its token (the elector's `fence`, which also refuses
 * a token older than one that already acted), so a leader that lost its lease — paused, cut off —
 * can never act in the same period as its successor. Reading the fleet needs no fence.
 */
import { BountybotError } from '../autoscaling/errors.js';
import type { Actuator, FleetState } from './interfaces.js';
import type { LeaderElector } from './ports.js';

/** A scale call refused because this replica does not (or no longer) lead. */
export class NotLeaderError extends BountybotError {
  constructor(message: string) {
    super('NOT_LEADER', message);
  }
}

export function fencedActuator(inner: Actuator, elector: LeaderElector): Actuator {
  return {
    fleet: () => inner.fleet(),
    async scaleTo(target: number, reasoning: readonly string[]): Promise<FleetState> {
      const l = elector.current();
      if (!l.leader || l.token === undefined) {
        throw new NotLeaderError(`not scaling to ${target}: this replica (${l.identity}) does not lead${l.holder ? `; ${l.holder} does` : ''}`);
      }
      let ok: boolean;
      if (elector.fence) ok = await elector.fence(l.token);
      else {
        const now = await elector.tick(Date.now());
        ok = now.leader && now.token === l.token;
      }
      if (!ok) throw new NotLeaderError(`not scaling to ${target}: fencing token ${l.token} is no longer the leader's`);
      return inner.scaleTo(target, reasoning);
    },
  };
}
