import { describe, it, expect } from 'vitest';
import { OverrideGate, PauseGate } from '../src/control/gates.js';

const fleet = { provisioned: 4, ready: 3, draining: 1 };
const t0 = new Date('2025-01-06T09:00:00Z');
const at = (s: number): Date => new Date(t0.getTime() + s * 1000);

describe('PauseGate', () => {
  it('passes the target through when not paused', () => {
    expect(new PauseGate().apply(7, fleet)).toEqual({ target: 7 });
  });

  it('holds the provisioned fleet while paused and says why', () => {
    const g = new PauseGate();
    g.pause(t0);
    g.pause(at(10)); // idempotent: keeps the first time
    const out = g.apply(7, fleet);
    expect(out.target).toBe(4);
    expect(out.reason).toMatch(/paused since 2025-01-06T09:00:00.000Z.*holding 4.*wanted 7/);
    g.resume();
    expect(g.apply(7, fleet)).toEqual({ target: 7 });
  });
});

describe('OverrideGate', () => {
  const invalid = [
    { name: 'workers above max', workers: 11, ttl: 60, field: /workers/ },
    { name: 'negative workers', workers: -1, ttl: 60, field: /workers/ },
    { name: 'fractional workers', workers: 1.5, ttl: 60, field: /workers/ },
    { name: 'NaN workers', workers: Number.NaN, ttl: 60, field: /workers/ },
    { name: 'zero ttl', workers: 2, ttl: 0, field: /ttlSeconds/ },
    { name: 'ttl above a day', workers: 2, ttl: 86_401, field: /ttlSeconds/ },
    { name: 'fractional ttl', workers: 2, ttl: 0.5, field: /ttlSeconds/ },
  ];
  for (const c of invalid) {
    it(`rejects ${c.name} with a RangeError naming the field`, () => {
      const g = new OverrideGate(10);
      expect(() => g.set(c.workers, c.ttl, t0)).toThrow(RangeError);
      expect(() => g.set(c.workers, c.ttl, t0)).toThrow(c.field);
    });
  }

  const timeline = [
    { name: 'before set', setAt: undefined, checkAt: 0, expected: 7, reason: undefined },
    { name: 'just after set', setAt: 0, checkAt: 1, expected: 2, reason: /override: 2 workers until 2025-01-06T09:01:00.000Z \(policy wanted 7\)/ },
    { name: 'last second', setAt: 0, checkAt: 59.999, expected: 2, reason: /override/ },
    { name: 'at expiry', setAt: 0, checkAt: 60, expected: 7, reason: /expired/ },
  ];
  for (const c of timeline) {
    it(`by the loop clock: ${c.name}`, () => {
      const g = new OverrideGate(10);
      if (c.setAt !== undefined) g.set(2, 60, at(c.setAt));
      const out = g.apply(7, fleet, at(c.checkAt));
      expect(out.target).toBe(c.expected);
      if (c.reason) expect(out.reason).toMatch(c.reason);
      else expect(out.reason).toBeUndefined();
    });
  }

  it('reports the expiry once, then passes through silently', () => {
    const g = new OverrideGate(10);
    g.set(0, 5, t0);
    expect(g.apply(3, fleet, at(6)).reason).toMatch(/expired/);
    expect(g.apply(3, fleet, at(7))).toEqual({ target: 3 });
  });

  it('restore() brings back a saved override; clear() removes it', () => {
    const g = new OverrideGate(10);
    g.restore({ workers: 5, ttlSeconds: 30, expiresAt: at(30) });
    expect(g.active(at(10))?.workers).toBe(5);
    g.clear();
    expect(g.active(at(10))).toBeUndefined();
  });
});
