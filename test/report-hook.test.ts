import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';

describe('bountybot simulate --report', () => {
  it('writes one self-contained page with a table row per policy', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bountybot-report-hook-')), 'out.html');
    const write = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = ((chunk: string) => { printed += String(chunk); return true; }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main(['node', 'bountybot', 'simulate', '--scenario', 'campaign-spike', '--policy', 'bountybot,hpa,zero-wait', '--report', path, '--json']);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('Chart.js v4');
    const rows = [...html.matchAll(/<tr data-policy="([^"]+)"/g)].map((m) => m[1]);
    // The results table with the floor row, then the second half (each run scored on it).
    expect(rows).toEqual(['bountybot', 'hpa', 'zero-wait', 'floor', 'bountybot (2nd half)', 'hpa (2nd half)', 'zero-wait (2nd half)', 'floor']);
    expect(html).toContain('Second half');
    const json = JSON.parse(printed) as Array<{ policy: string; cost: number }>;
    for (const p of json) expect(html).toContain(`<td class="num">${p.cost.toFixed(2)}</td>`);
  });
});
