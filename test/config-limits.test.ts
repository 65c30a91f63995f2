import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CONFIG_BYTES, loadAutoscalingConfig, parseAutoscalingConfig } from '../src/config/load.js';
import { API_TOKEN_ENV, exposedTokenProblem } from '../src/config/schema.js';
import { configErrorOf } from './helpers/config-error.js';

const parse = (yaml: string, env: Record<string, string | undefined> = {}) => () => parseAutoscalingConfig(yaml, 'x.yaml', { env });

describe('hostile config input stays cheap and its errors short (defect 3.5)', () => {
  it('a 1 MB unknown key is echoed as a short prefix, with no suggestion work', () => {
    const message = configErrorOf(parse(`autoscaling: {"${'k'.repeat(1_000_000)}": 1}\n`));
    expect(message).toMatch(/^x\.yaml: unknown key autoscaling\.k{57}\.\.\.\(1000000 characters\) — allowed keys: min_workers, /);
    expect(message.length).toBeLessThan(1000);
  });
  it('a 1 MB value is echoed as a short prefix', () => {
    const message = configErrorOf(parse(`autoscaling:\n  max_workers: "${'x'.repeat(1_000_000)}"\n`));
    expect(message).toMatch(/^x\.yaml: autoscaling\.max_workers: must be an integer in \[1, 10000\]; got "x+\.\.\. \(line 2\)$/);
    expect(message.length).toBeLessThan(200);
  });
  it.each([
    { name: 'flow sequences', yaml: `autoscaling:\n  cost_config: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n` },
    { name: 'flow mappings', yaml: `autoscaling:\n  cost_config: ${'{a: '.repeat(50_000)}1${'}'.repeat(50_000)}\n` },
    { name: 'unclosed brackets', yaml: `autoscaling: ${'['.repeat(500_000)}` },
    { name: 'block mappings', yaml: ['autoscaling:', ...Array.from({ length: 1400 }, (_, i) => `${' '.repeat(i + 2)}a:`)].join('\n') },
  ])('deep nesting ($name) is a clean ConfigError', ({ yaml }) => {
    expect(configErrorOf(parse(yaml))).toMatch(/^x\.yaml: invalid YAML: nested too deeply \(at most 64 levels\)$/);
  });
  it('brackets inside quotes and comments do not count as nesting', () => {
    const c = parseAutoscalingConfig(`autoscaling:\n  handler: "${'['.repeat(100)}"\n  # ${'{'.repeat(100)}\n`, 'x.yaml', { env: {} });
    expect(c.handler).toBe('['.repeat(100));
  });
  it('thousands of unknown keys: twenty lines, the allowed keys listed once', () => {
    const yaml = `autoscaling:\n${Array.from({ length: 2000 }, (_, i) => `  key${i}: 1`).join('\n')}\n`;
    const lines = configErrorOf(parse(yaml)).split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toContain('unknown key autoscaling.key0 — allowed keys: min_workers');
    expect(lines[1]).toBe('x.yaml: unknown key autoscaling.key1 — not an allowed key (see the list above) (line 3)');
    expect(lines[20]).toBe('… and 1980 more problems');
  });
  it('a repeated key is found without the parser\'s quadratic check', () => {
    expect(configErrorOf(parse('autoscaling:\n  max_workers: 3\n  max_workers: 4\n')))
      .toBe('x.yaml: line 3, column 3: invalid YAML: Map keys must be unique (max_workers)');
  });
  it('text over 1 MiB is refused before parsing', () => {
    expect(configErrorOf(parse(`autoscaling:\n  handler: x\n#${' '.repeat(MAX_CONFIG_BYTES)}\n`)))
      .toBe(`x.yaml: config is more than ${MAX_CONFIG_BYTES} bytes; the limit is ${MAX_CONFIG_BYTES} (1 MiB)`);
  });
  it('a file over 1 MiB, or an endless device, is refused without reading it all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bountybot-config-'));
    const path = join(dir, 'big.yaml');
    writeFileSync(path, `autoscaling: {}\n#${'x'.repeat(2 * MAX_CONFIG_BYTES)}\n`);
    expect(configErrorOf(() => loadAutoscalingConfig(path, { env: {} }))).toContain(`${path}: config is more than ${MAX_CONFIG_BYTES} bytes`);
    expect(configErrorOf(() => loadAutoscalingConfig('/dev/zero', { env: {} }))).toContain('/dev/zero: config is more than');
  });
});

describe('the API token (defect 3.11, config side)', () => {
  it('BOUNTYBOT_API_TOKEN made of blanks is an error naming the variable', () => {
    expect(configErrorOf(parse('autoscaling:\n  api_token: from-file\n', { [API_TOKEN_ENV]: ' ' })))
      .toMatch(/^BOUNTYBOT_API_TOKEN: must be a non-empty token; got only whitespace/);
    expect(configErrorOf(parse('autoscaling: {}\n', { [API_TOKEN_ENV]: '\t\n' }))).toContain('BOUNTYBOT_API_TOKEN');
  });
  const long = 'x'.repeat(16);
  const cases: Array<{ name: string; yaml: string; env?: Record<string, string>; error?: string }> = [
    { name: 'a short token on loopback is fine', yaml: 'http_host: 127.0.0.1\n  api_token: short' },
    { name: 'a short token on localhost is fine', yaml: 'http_host: localhost\n  api_token: short' },
    { name: 'no token beyond loopback is fine (the control API is off)', yaml: 'http_host: 0.0.0.0' },
    { name: 'a 16-character token beyond loopback is fine', yaml: `http_host: 0.0.0.0\n  api_token: ${long}` },
    {
      name: 'a short token in the file beyond loopback', yaml: 'http_host: 0.0.0.0\n  api_token: short',
      error: 'x.yaml: autoscaling.api_token: must be at least 16 characters while the HTTP server listens on "0.0.0.0", beyond loopback; got 5 (line 3)',
    },
    {
      name: 'a short token from the environment beyond loopback', yaml: 'http_host: 10.1.2.3', env: { [API_TOKEN_ENV]: 'abc' },
      error: 'BOUNTYBOT_API_TOKEN: must be at least 16 characters while the HTTP server listens on "10.1.2.3", beyond loopback; got 3 (x.yaml: autoscaling.http_host)',
    },
    { name: 'a long token from the environment wins over a short one in the file', yaml: 'http_host: "::"\n  api_token: short', env: { [API_TOKEN_ENV]: long } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = parse(`autoscaling:\n  ${c.yaml}\n`, c.env);
      if (c.error === undefined) expect(() => run()).not.toThrow();
      else expect(configErrorOf(run)).toBe(c.error);
    });
  }
  it('the same rule, for a host given on the command line', () => {
    expect(exposedTokenProblem('[::1]', 'short')).toBeNull();
    expect(exposedTokenProblem('192.168.1.5', 'short')).toMatch(/at least 16 characters/);
    expect(exposedTokenProblem('192.168.1.5', undefined)).toBeNull();
  });
});
