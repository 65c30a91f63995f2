/**
 * Numeric and enumerated options of run/worker/load/start: plain decimals in a declared range
 * only, rejected by commander before anything starts, with one line naming the flag and value.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { main } from '../src/cli/main.js';
import { decimal, describeRule, parseDecimal, RULES } from '../src/cli/options.js';

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(['node', 'bountybot', ...args], { writeErr: (t) => { err += t; }, writeOut: () => undefined });
  return { code, err };
}

const NOT_DECIMAL = ['1e9', '0x10', '', 'abc', 'Infinity', 'NaN', '1_000', '--1'];

const FLAGS: Array<{ command: string; flag: string; outOfRange: string[] }> = [
  { command: 'run', flag: '--port', outOfRange: ['65536', '-1', '80.5'] },
  { command: 'run', flag: '--interval-seconds', outOfRange: ['0', '86401'] },
  { command: 'run', flag: '--worker-concurrency', outOfRange: ['0', '257', '1.5'] },
  { command: 'run', flag: '--worker-lease-seconds', outOfRange: ['0', '3601'] },
  { command: 'run', flag: '--worker-drain-timeout-seconds', outOfRange: ['-1', '3601'] },
  { command: 'run', flag: '--worker-orphan-timeout-seconds', outOfRange: ['0', '86401'] },
  { command: 'run', flag: '--job-retention-hours', outOfRange: ['0', '87601'] },
  { command: 'worker', flag: '--concurrency', outOfRange: ['0', '1000000000', '2.5'] },
  { command: 'worker', flag: '--lease-seconds', outOfRange: ['0', '3601'] },
  { command: 'worker', flag: '--heartbeat-seconds', outOfRange: ['0', '601'] },
  { command: 'worker', flag: '--poll-ms', outOfRange: ['0', '60001'] },
  { command: 'worker', flag: '--drain-timeout-seconds', outOfRange: ['-1', '3601'] },
  { command: 'worker', flag: '--job-timeout-seconds', outOfRange: ['0', '86401'] },
  { command: 'worker', flag: '--orphan-timeout-seconds', outOfRange: ['0', '86401'] },
  { command: 'load', flag: '--speed', outOfRange: ['0', '1000001'] },
  { command: 'load', flag: '--scale', outOfRange: ['0', '-2', '1000001'] },
  { command: 'load', flag: '--seed', outOfRange: ['-1', '1.5', '4294967296'] },
  { command: 'load', flag: '--start-minute', outOfRange: ['-1', '10000001'] },
  { command: 'load', flag: '--minutes', outOfRange: ['0', '10000001'] },
  { command: 'start', flag: '--port', outOfRange: ['65536', '-1'] },
];

describe('numeric flags of run, worker, load and start', () => {
  for (const f of FLAGS) {
    for (const value of [...NOT_DECIMAL, ...f.outOfRange]) {
      it(`${f.command} ${f.flag} ${JSON.stringify(value)} exits 2 with one line naming the flag and the value`, async () => {
        const r = await cli([f.command, `${f.flag}=${value}`]);
        expect(r.code).toBe(2);
        const lines = r.err.trimEnd().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/^bountybot: option '/);
        expect(lines[0]).toContain(f.flag);
        expect(lines[0]).toContain(`'${value}'`);
        expect(lines[0]).toMatch(/Expected (an integer|a decimal number) (in|<=)/);
      });
    }
  }
});

describe('decimal()', () => {
  const cases = [
    { name: 'integer', raw: '4', rule: RULES.concurrency, expected: 4 },
    { name: 'fraction', raw: '0.5', rule: RULES.leaseSeconds, expected: 0.5 },
    { name: 'leading dot', raw: '.25', rule: RULES.leaseSeconds, expected: 0.25 },
    { name: 'surrounding blanks', raw: ' 8 ', rule: RULES.concurrency, expected: 8 },
    { name: 'the maximum itself', raw: '65535', rule: RULES.port, expected: 65_535 },
    { name: 'an inclusive zero', raw: '0', rule: RULES.port, expected: 0 },
  ];
  for (const c of cases) it(`accepts ${c.name}`, () => expect(decimal(c.rule)(c.raw)).toBe(c.expected));

  it('rejects an exclusive minimum and says the range', () => {
    expect(parseDecimal('0', RULES.leaseSeconds)).toBeUndefined();
    expect(describeRule(RULES.leaseSeconds)).toBe('a decimal number in (0, 3600]');
    expect(describeRule(RULES.concurrency)).toBe('an integer in [1, 256]');
    expect(() => decimal(RULES.concurrency)('1e9')).toThrow('Expected an integer in [1, 256].');
  });
});

describe('enumerated and exclusive options', () => {
  const saved = process.env.BOUNTYBOT_LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.BOUNTYBOT_LOG_LEVEL;
    else process.env.BOUNTYBOT_LOG_LEVEL = saved;
  });

  it('load --scenario offers the built-in names', async () => {
    const r = await cli(['load', '--scenario', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^bountybot: option '--scenario <name>' argument 'nope' is invalid\. Allowed choices are .*campaign-spike/);
  });

  it('load --trace and --scenario exclude each other', async () => {
    const r = await cli(['load', '--trace', 'x.csv', '--scenario', 'campaign-spike']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--trace <file>' cannot be used with option '--scenario <name>'/);
  });

  it('start --keep makes no sense with --db', async () => {
    const r = await cli(['start', '--db', 'x.db', '--keep']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--keep' cannot be used with option '--db <path>'/);
  });

  it('--log-level is checked, also when it comes from BOUNTYBOT_LOG_LEVEL', async () => {
    expect((await cli(['worker', '--log-level', 'loud'])).err).toMatch(/argument 'loud' is invalid\. Allowed choices are fatal, error, warn, info/);
    process.env.BOUNTYBOT_LOG_LEVEL = 'chatty';
    const r = await cli(['worker', '--db', '/nonexistent/never-opened.db']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/value 'chatty' from env 'BOUNTYBOT_LOG_LEVEL' is invalid/);
  });
});
