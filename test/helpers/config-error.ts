import { expect } from 'vitest';
import { ConfigError } from '../../src/autoscaling/errors.js';

/** The error message of `fn`, which must throw a ConfigError. */
export function configErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}
