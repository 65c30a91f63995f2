import { describe, it, expect } from 'vitest';
import { fencedActuator, NotLeaderError } from '../src/control/fenced-actuator.js';
import type { LeaderElector, Leadership } from '../src/control/ports.js';
import { FakeFleet } from './helpers/runtime-fakes.js';

function elector(l: Leadership, fence?: (token: number) => boolean): LeaderElector {
  return {
    tick: () => Promise.resolve(l), current: () => l, release: () => Promise.resolve(),
    ...(fence ? { fence: (t: number) => Promise.resolve(fence(t)) } : {}),
  };
}

describe('fenced actuator', () => {
  const cases = [
    { name: 'leader whose fence passes: scales', l: { leader: true, identity: 'a', token: 7 }, fence: (t: number) => t === 7, scaled: true },
    { name: 'leader whose token was superseded: refused', l: { leader: true, identity: 'a', token: 7 }, fence: () => false, scaled: false },
    { name: 'standby: refused before asking the fence', l: { leader: false, identity: 'b', holder: 'a', token: 7 }, fence: () => true, scaled: false },
    { name: 'no fence in the backend: re-checks the lease', l: { leader: true, identity: 'a', token: 3 }, fence: undefined, scaled: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const inner = new FakeFleet();
      const a = fencedActuator(inner, elector(c.l, c.fence));
      if (c.scaled) {
        expect((await a.scaleTo(3, ['why'])).provisioned).toBe(3);
        expect(inner.calls).toEqual([3]);
      } else {
        await expect(a.scaleTo(3, ['why'])).rejects.toBeInstanceOf(NotLeaderError);
        expect(inner.calls).toEqual([]);
      }
      expect((await a.fleet()).provisioned).toBe(c.scaled ? 3 : 0);
    });
  }
});
