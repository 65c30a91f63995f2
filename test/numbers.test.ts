import { describe, it, expect } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { fileURLToPath } from 'node:url';
import { decimalOption, describeRange, parseDecimal, type DecimalRange } from '../src/cli/numbers.js';
import { runCli } from './helpers/sim-helpers.js';

describe('decimal command-line numbers', () => {
  const positive: DecimalRange = { min: 0, minExclusive: true, max: 1e6 };
  it.each([
    ['integer', '12', positive, 12],
    ['fraction', '2.5', positive, 2.5],
    ['leading point', '.5', positive, 0.5],
    ['trailing point', '3.', positive, 3],
    ['plus sign', '+7', positive, 7],
    ['spaces around', ' 7 ', positive, 7],
    ['upper bound included', '1000000', positive, 1e6],
    ['negative allowed by the range', '-3', { min: -5 }, -3],
    ['integer rule', '4', { integer: true }, 4],
  ])('accepts %s', (_name, raw, range, expected) => {
    expect(parseDecimal(raw, range)).toBe(expected);
  });

  it.each([
    ['exponent', '1e300', positive],
    ['small exponent', '1e3', positive],
    ['hex', '0x10', positive],
    ['binary', '0b11', positive],
    ['NaN', 'NaN', positive],
    ['Infinity', 'Infinity', positive],
    ['empty', '', positive],
    ['words', 'ten', positive],
    ['excluded lower bound', '0', positive],
    ['negative', '-1', { min: 0 }],
    ['above the maximum', '1000001', positive],
    ['fraction where an integer is needed', '2.5', { integer: true }],
    ['unsafe integer', '9007199254740993', { integer: true }],
    ['two points', '1.2.3', positive],
  ])('rejects %s', (_name, raw, range) => {
    expect(parseDecimal(raw, range)).toBeUndefined();
  });

  it.each([
    [{ min: 0, minExclusive: true, max: 1 }, 'a decimal number in (0, 1]'],
    [{ min: 1, max: 100, integer: true }, 'an integer in [1, 100]'],
    [{ min: 0 }, 'a decimal number >= 0'],
    [{ max: 5, maxExclusive: true }, 'a decimal number < 5'],
    [{}, 'a decimal number'],
  ])('describes %j as "%s"', (range, text) => {
    expect(describeRange(range)).toBe(text);
  });

  it('the commander parser names the option and the value', () => {
    const parse = decimalOption('--slo-target', { min: 0, minExclusive: true, max: 1 });
    expect(parse('0.99')).toBe(0.99);
    expect(() => parse('1.5')).toThrow(InvalidArgumentError);
    expect(() => parse('1.5')).toThrow('--slo-target must be a decimal number in (0, 1]; got "1.5"');
  });
});

describe('forecast --horizon-minutes is parsed the same way', () => {
  it.each([['hex', '0x5'], ['exponent', '5e0'], ['zero', '0'], ['more than a year', '600000']])('rejects %s with one line, exit 2', async (_name, value) => {
    const trace = fileURLToPath(new URL('./fixtures/nasa-http-jul1995-1day.csv', import.meta.url));
    const r = await runCli('forecast', '--trace', trace, '--horizon-minutes', value);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`--horizon-minutes must be a decimal number in \\(0, 525600\\]; got "${value}"`));
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
