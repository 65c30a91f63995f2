/**
 * `bountybot run --actuator kubernetes` end to end, as a real process against the API stand-in
 * through a kubeconfig: direct mode scales the Deployment and holds the Lease (released on
 * SIGTERM, workers untouched); hpa mode only exports metrics; keda mode serves the external
 * scaler; an HPA on the Deployment stops direct mode with one line. The queue is the SQLite one
 * pre-filled with a backlog (the Redis queue is exercised by its own suite).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { conformance } from './helpers/kube-api-reference.js';
import { KubeStandIn } from './helpers/kube-standin.js';
import { killAll, pidAlive, spawnCli, waitFor, type CliProcess } from './helpers/runtime-helpers.js';

const NS = 'work';
const DEP = 'bountybot-api';
let dir: string;
let api: KubeStandIn;
let kubeconfig: string;
const procs: CliProcess[] = [];

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'bb-k8s-run-')); });
afterAll(() => {
  killAll(procs.map((p) => p.child.pid).filter((p): p is number => p !== undefined && pidAlive(p)));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  api = await KubeStandIn.start({ startMs: Date.now() });
  api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
  kubeconfig = api.writeKubeconfig(dir, NS);
});
afterEach(async () => { await api.close(); });

async function backlog(name: string, jobs: number): Promise<string> {
  const db = join(dir, `${name}.db`);
  const store = SqliteStore.open({ path: db });
  await store.queue.enqueueBatch(Array.from({ length: jobs }, (_, i) => ({ report: i })));
  store.close();
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, ['autoscaling:', '  min_workers: 1', '  max_workers: 6', '  evaluation_interval_seconds: 0.5',
    `  database_path: ${JSON.stringify(db)}`, '  http_port: 0', ''].join('\n'));
  return config;
}

function run(config: string, extra: string[]): CliProcess {
  const p = spawnCli(['run', '--config', config, '--actuator', 'kubernetes', '--kubeconfig', kubeconfig, '--namespace', NS, '--deployment', DEP, ...extra]);
  procs.push(p);
  return p;
}

const httpUrl = (p: CliProcess): string | undefined => /"url":"(http:[^"]+)"/.exec(p.stdout())?.[1];
const lease = (): Record<string, unknown> | undefined => api.store.leases.get(`${NS}/bountybot-controller`)?.spec;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('bountybot run --actuator kubernetes', () => {
  it('direct: scales the Deployment for a backlog, holds the Lease, releases it on SIGTERM and leaves the workers running', { timeout: 90_000 }, async () => {
    const p = run(await backlog('direct', 300), []);
    await waitFor('a scale-up PUT', () => api.sent('PUT', /\/scale$/).some((r) => r.status === 200), 30_000);
    expect(api.store.deployment(NS, DEP).replicas).toBeGreaterThan(1);
    expect(lease()).toMatchObject({ leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect(String(lease()?.holderIdentity)).not.toBe('');
    // SIGTERM once the signal handlers are in place (after the first tick of start-up).
    await waitFor('a second decision', () => (p.stdout().match(/"msg":"decision"/g) ?? []).length >= 2, 30_000);
    const scaled = api.store.deployment(NS, DEP).replicas;
    p.child.kill('SIGTERM');
    const exit = await p.exited;
    expect(exit, p.stderr() + p.stdout().slice(-3000)).toEqual({ code: 0, signal: null });
    expect(lease()?.holderIdentity).toBe('');
    expect(api.store.deployment(NS, DEP).replicas).toBe(scaled);
    for (const r of api.requests) expect(conformance(r), `${r.method} ${r.path}`).toEqual([]);
  });

  it('direct: refuses with one line when an HPA already scales the Deployment', { timeout: 60_000 }, async () => {
    api.store.hpas.push({ namespace: NS, name: 'bountybot-api-hpa', target: { apiVersion: 'apps/v1', kind: 'Deployment', name: DEP } });
    const p = run(await backlog('refuse', 1), []);
    const { code } = await p.exited;
    expect(code).toBe(2);
    expect(p.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^bountybot: HorizontalPodAutoscaler bountybot-api-hpa already scales Deployment bountybot-api in namespace work/)]);
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
  });

  it('hpa: exports the release notes\' metrics and desired_workers, never writes replicas', async () => {
    api.store.hpas.push({ namespace: NS, name: 'bountybot-api-hpa', target: { apiVersion: 'apps/v1', kind: 'Deployment', name: DEP } });
    const p = run(await backlog('hpa', 300), ['--mode', 'hpa']);
    const url = await waitFor('the HTTP server', () => httpUrl(p), 30_000);
    const text = await waitFor('a decision in /metrics', async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      return /^bountybot_autoscaling_desired_workers ([2-9]|\d\d)/m.test(body) ? body : undefined;
    }, 30_000);
    expect(text).toMatch(/^bountybot_autoscaling_queue_depth 300$/m);
    expect(text).toMatch(/^bountybot_autoscaling_avg_latency_seconds /m);
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
    expect(api.sent('PATCH', /pods/)).toHaveLength(0);
    await waitFor('a second decision', () => (p.stdout().match(/"msg":"decision"/g) ?? []).length >= 2, 30_000);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('keda: serves the target to a gRPC client built from KEDA\'s proto, active from the backlog', async () => {
    const port = await freePort();
    const p = run(await backlog('keda', 300), ['--mode', 'keda', '--keda-port', String(port)]);
    const def = protoLoader.loadSync(new URL('./fixtures/keda-externalscaler.proto', import.meta.url).pathname, { keepCase: true, longs: Number, defaults: true });
    type Cb = (err: grpc.ServiceError | null, res: { metricValues?: Array<{ metricValueFloat: number }>; result?: boolean }) => void;
    const Client = (grpc.loadPackageDefinition(def) as unknown as { externalscaler: { ExternalScaler: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & Record<string, (req: unknown, cb: Cb) => void> } }).externalscaler.ExternalScaler;
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const ask = (m: string, req: unknown): Promise<Parameters<Cb>[1]> => new Promise((res, rej) => client[m]?.(req, (e, r) => (e ? rej(e) : res(r))));
    const ref = { name: DEP, namespace: NS, scalerMetadata: {} };
    try {
      const metrics = await waitFor('a target above 1 from GetMetrics', async () => {
        const r = await ask('GetMetrics', { scaledObjectRef: ref, metricName: 'bountybot_desired_workers' });
        if ((r.metricValues?.[0]?.metricValueFloat ?? 0) > 1) return r;
        throw new Error(`GetMetrics answered ${JSON.stringify(r)}; log: ${p.stdout().slice(-1500)}`);
      }, 30_000, 200);
      const first = metrics.metricValues?.[0]?.metricValueFloat ?? 0;
      expect(first).toBeLessThanOrEqual(6);
      // KEDA has not acted (nothing does here): the cooldown must hold the request, not take it back.
      const seen = (p.stdout().match(/"msg":"decision"/g) ?? []).length;
      await waitFor('three more decisions', () => (p.stdout().match(/"msg":"decision"/g) ?? []).length >= seen + 3, 30_000);
      const later = await ask('GetMetrics', { scaledObjectRef: ref, metricName: 'bountybot_desired_workers' });
      expect(later.metricValues?.[0]?.metricValueFloat).toBe(first);
      expect(await ask('IsActive', ref)).toEqual({ result: true });
    } finally {
      client.close();
    }
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  }, 90_000);

  it.each([
    ['a Kubernetes flag without --actuator kubernetes', ['run', '--namespace', 'x'], /--namespace needs --actuator kubernetes/],
    ['--keda-port outside keda mode', ['run', '--actuator', 'kubernetes', '--keda-port', '9000'], /--keda-port needs --mode keda/],
    ['an unknown mode', ['run', '--actuator', 'kubernetes', '--mode', 'swarm'], /argument 'swarm' is invalid/],
    ['a hexadecimal --keda-port', ['run', '--actuator', 'kubernetes', '--mode', 'keda', '--keda-port', '0x10'], /option '--keda-port <port>' argument '0x10' is invalid\. Expected an integer in \[1, 65535\]/],
    ['manifests --max-workers 1e3', ['manifests', '--max-workers', '1e3'], /argument '1e3' is invalid\. Expected an integer in \[1, 1000\]/],
  ])('rejects %s (exit 2)', async (_name, args, message) => {
    let err = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err += String(chunk); return true; });
    try {
      expect(await main(['node', 'bountybot', ...args])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(err).toMatch(message);
  });
});
