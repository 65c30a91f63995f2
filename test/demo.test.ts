import { describe, expect, it } from 'vitest';
import { collectorExample, costExample, engineExample, predictorExample, runDemo } from '../src/cli/demo.js';

/** The release notes' four examples, as `bountybot demo` prints them, with their real output checked. */
function capture(run: (print: (line: string) => void, start: Date) => void): string[] {
  const lines: string[] = [];
  run((l) => lines.push(l), new Date('2025-10-20T08:00:00Z'));
  return lines;
}

describe("the release notes' examples", () => {
  it('1. prediction: rising load forecasts above the last rate, with a trend and bounded confidence', () => {
    const out = capture(predictorExample).join('\n');
    const rate = Number(/Predicted rate: ([0-9.]+)\/min/.exec(out)?.[1]);
    expect(rate).toBeGreaterThan(6);
    expect(rate).toBeLessThan(9);
    expect(out).toMatch(/Trend: increasing/);
    const confidence = Number(/Confidence: ([0-9.]+)%/.exec(out)?.[1]);
    expect(confidence).toBeGreaterThanOrEqual(0);
    expect(confidence).toBeLessThanOrEqual(100);
  });

  it('2. decision: queue 25, latency 45 s on 3 workers scales up, with reasons', () => {
    const out = capture(engineExample).join('\n');
    expect(out).toMatch(/Action: scale_up/);
    const target = Number(/Target workers: (\d+)/.exec(out)?.[1]);
    expect(target).toBeGreaterThan(3);
    expect(target).toBeLessThanOrEqual(10);
    expect(out).toMatch(/Queue score: 1\.00/);
    expect(out).toMatch(/Combined score: /);
  });

  it('3. cost: $7.50 spent this hour, 3 → 5 workers would exceed the hourly budget', () => {
    const out = capture(costExample).join('\n');
    expect(out).toMatch(/✗ Cannot scale up: Would exceed hourly budget \(\$[0-9.]+ > \$10\.00\)/);
    expect(out).toMatch(/Hourly utilization: 75\.0%/);
    expect(out).toMatch(/Status: (warning|critical)/);
  });

  it('4. collection: one validation of 23 s', () => {
    const out = capture(collectorExample).join('\n');
    expect(out).toMatch(/Queue depth: 0/);
    expect(out).toMatch(/Avg latency: 23\.00s/);
    expect(out).toMatch(/Success rate: 100\.0%/);
    expect(out).toMatch(/Total validations: 1/);
  });

  it('the whole demo runs, ending with the simulated spike and its decisions', async () => {
    const lines: string[] = [];
    await runDemo((l) => lines.push(l));
    const out = lines.join('\n');
    expect(out).toMatch(/## 5\. A campaign spike/);
    expect(out).toMatch(/scale_up +3 → \d+ workers/);
    expect(out).toMatch(/Result: 1180\/1180 validations done, 0 lost/);
  });
});
