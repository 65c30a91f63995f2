/** The dashboard's routes on the HTTP server: files from the package with a same-origin CSP, history and decisions APIs. */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionRecord, TickHistoryPage } from '../src/control/interfaces.js';
import type { HistoryRequest } from '../src/control/runtime-api.js';
import { startHttpServer, type RunningHttpServer } from '../src/server/http.js';
import { FakeRuntime } from './server-fakes.js';

class HistoryRuntime extends FakeRuntime {
  requests: HistoryRequest[] = [];
  history(request: HistoryRequest): Promise<TickHistoryPage> {
    this.requests.push(request);
    return Promise.resolve({
      fromMs: request.fromMs, toMs: request.toMs, bucketMs: 1000, points: [{ at: request.fromMs, samples: 1, actions: 0, provisioned: 2 }],
      markers: [], totals: { samples: 1, ended: 0, withinSlo: 0, actions: 0 },
    });
  }
  decisionLog(limit: number): Promise<DecisionRecord[]> {
    return Promise.resolve(Array.from({ length: Math.min(limit, 3) }, (_, i) => ({
      at: new Date(i), action: 'no_change' as const, currentWorkers: 1, targetWorkers: 1, appliedWorkers: 1, reasoning: [`r${i}`], dryRun: false,
    })));
  }
}

let runtime: HistoryRuntime;
let server: RunningHttpServer;
let bare: RunningHttpServer;

beforeAll(async () => {
  runtime = new HistoryRuntime();
  server = await startHttpServer({ host: '127.0.0.1', port: 0, runtime, registry: new Registry() });
  bare = await startHttpServer({ host: '127.0.0.1', port: 0, runtime: new FakeRuntime(), registry: new Registry() });
});
afterAll(async () => {
  await server.close();
  await bare.close();
});

describe('dashboard files', () => {
  it.each([
    { path: '/', type: 'text/html', contains: '<script src="/assets/dashboard.js"></script>' },
    { path: '/assets/dashboard.js', type: 'text/javascript', contains: "getJson('/api/status')" },
    { path: '/assets/dashboard-charts.js', type: 'text/javascript', contains: 'root.BountybotDashboardCharts' },
    { path: '/assets/dashboard.css', type: 'text/css', contains: '.cards' },
    { path: '/assets/chart-kit.js', type: 'text/javascript', contains: 'root.BountybotCharts' },
    { path: '/assets/chart.umd.js', type: 'text/javascript', contains: 'Chart.js v4' },
  ])('GET $path', async ({ path, type, contains }) => {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
    expect(await res.text()).toContain(contains);
  });

  it('the page allows only its own origin and references nothing outside it', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'.*connect-src 'self'/);
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs.length).toBeGreaterThan(3);
    for (const r of refs) expect(r).toMatch(/^(\/|data:)/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
  });

  it('answers 404 for an asset it does not ship', async () => {
    expect((await fetch(`${server.url}/assets/nope.js`)).status).toBe(404);
  });
});

describe('GET /api/history and /api/decisions', () => {
  it.each([
    { name: 'defaults: the last hour, 600 points', query: '', check: (r: HistoryRequest): boolean => r.toMs - r.fromMs === 3_600_000 && r.maxPoints === 600 },
    { name: 'since as epoch ms', query: '?since=1000&until=5000&points=10', check: (r: HistoryRequest): boolean => r.fromMs === 1000 && r.toMs === 5000 && r.maxPoints === 10 },
    { name: 'since as ISO time', query: '?since=2026-01-01T00:00:00Z&until=2026-01-01T01:00:00Z', check: (r: HistoryRequest): boolean => r.fromMs === Date.UTC(2026, 0, 1) },
  ])('passes the range: $name', async ({ query, check }) => {
    const res = await fetch(`${server.url}/api/history${query}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as TickHistoryPage).points).toHaveLength(1);
    const last = runtime.requests.at(-1);
    expect(last && check(last)).toBe(true);
  });

  it.each([
    { query: '?since=yesterday', message: /since must be epoch milliseconds or an ISO 8601 time; got "yesterday"/ },
    { query: '?since=5000&until=1000', message: /since must be before until/ },
    { query: '?since=0&until=9999999999999', message: /may span at most 31 days/ },
    { query: '?points=0', message: /points must be an integer in \[1, 5000\]; got "0"/ },
  ])('400 naming the parameter: $query', async ({ query, message }) => {
    const res = await fetch(`${server.url}/api/history${query}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('404 when the runtime keeps no history', async () => {
    expect((await fetch(`${bare.url}/api/history`)).status).toBe(404);
  });

  it('decisions: the audit log with a limit; the status list when the runtime has no log', async () => {
    const full = (await (await fetch(`${server.url}/api/decisions?limit=2`)).json()) as { decisions: DecisionRecord[] };
    expect(full.decisions.map((d) => d.reasoning[0])).toEqual(['r0', 'r1']);
    const fromStatus = (await (await fetch(`${bare.url}/api/decisions`)).json()) as { decisions: DecisionRecord[] };
    expect(fromStatus.decisions).toHaveLength(1);
    expect((await fetch(`${server.url}/api/decisions?limit=5000`)).status).toBe(400);
  });
});
