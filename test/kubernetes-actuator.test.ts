/**
 * The kubernetes actuator against the local API stand-in, through a real kubeconfig file and the
 * real @kubernetes/client-node: the requests it sends (checked against the API reference and the
 * Kubernetes schemas), fleet state, idle-pods-first, conflicts, 429/500/timeouts, HPA refusal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DELETION_COST_ANNOTATION, KubernetesActuator, NotLeaderError, ScaleTargetConflictError, type KubernetesActuatorOptions,
} from '../src/adapters/kubernetes-actuator.js';
import { connectKubernetes, KubernetesApiError, type KubeClients, type RetryOptions } from '../src/adapters/kubernetes-api.js';
import { SqliteStore } from '../src/adapters/sqlite-store.js';
import { UsageError } from '../src/autoscaling/errors.js';
import { ControlLoop } from '../src/control/loop.js';
import type { Observation } from '../src/control/interfaces.js';
import { conformance } from './helpers/kube-api-reference.js';
import { KubeStandIn } from './helpers/kube-standin.js';
import { FakeClock, StandInPolicy } from './helpers/runtime-fakes.js';

const NS = 'work';
const DEP = 'bountybot-api';
let api: KubeStandIn;
let dir: string;
let clients: KubeClients;
let sleeps: number[];

const retry = (): RetryOptions => ({ attempts: 4, baseDelayMs: 1, maxDelayMs: 2000, sleep: async (ms) => { sleeps.push(ms); } });
const actuator = (o: Partial<KubernetesActuatorOptions> = {}): KubernetesActuator =>
  new KubernetesActuator({ clients, namespace: NS, deployment: DEP, maxWorkers: 10, retry: retry(), ...o });
const replicas = (): number => api.store.deployment(NS, DEP).replicas;

beforeEach(async () => {
  api = await KubeStandIn.start();
  dir = mkdtempSync(join(tmpdir(), 'bb-k8s-'));
  clients = connectKubernetes({ kubeconfig: api.writeKubeconfig(dir, NS), requestTimeoutMs: 400 });
  sleeps = [];
});

afterEach(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubernetes actuator: wire contract', () => {
  it('scales through GET + PUT deployments/{name}/scale with resourceVersion and fieldManager=bountybot', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    const a = actuator();
    expect(await a.start()).toEqual({ provisioned: 1, ready: 1, draining: 0 });
    const rvBefore = api.store.deployment(NS, DEP).resourceVersion;
    const fleet = await a.scaleTo(3, ['test']);
    expect(fleet).toEqual({ provisioned: 3, ready: 3, draining: 0 });
    const puts = api.sent('PUT', /\/scale$/);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(`/apis/apps/v1/namespaces/${NS}/deployments/${DEP}/scale`);
    expect(puts[0]?.query).toEqual({ fieldManager: 'bountybot' });
    expect(puts[0]?.contentType).toMatch(/^application\/json/);
    expect(puts[0]?.body).toEqual({
      apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: DEP, namespace: NS, resourceVersion: rvBefore }, spec: { replicas: 3 },
    });
    const pods = api.sent('GET', /\/pods$/);
    expect(pods[0]?.query).toEqual({ labelSelector: `app=${DEP}` });
    for (const r of api.requests) expect(conformance(r), `${r.method} ${r.path}`).toEqual([]);
  });

  it('the reference check catches a wrong content type, an unknown parameter and a body off the schema', () => {
    const path = `/apis/apps/v1/namespaces/${NS}/deployments/${DEP}/scale`;
    const problems = conformance({
      method: 'PUT', path, query: { fieldMgr: 'x' }, contentType: 'text/plain', authorization: 'Bearer t', status: 200,
      body: { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: DEP }, spec: { replicas: 'three' } },
    });
    expect(problems).toEqual([
      expect.stringMatching(/content type "text\/plain" not accepted/),
      expect.stringMatching(/unknown query parameter fieldMgr/),
      expect.stringMatching(/body fails the schema: .*replicas must be integer/),
    ]);
    expect(conformance({ method: 'DELETE', path, query: {}, status: 200 })).toEqual([expect.stringMatching(/no such operation/)]);
  });

  it('sends nothing when the Deployment already has the target', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 2 });
    await actuator().scaleTo(2, []);
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
  });

  it.each([
    ['above max_workers', 50, 10],
    ['negative', -3, 0],
    ['fractional', 2.7, 2],
    ['NaN', Number.NaN, 0],
  ])('clamps a target that is %s', async (_name, target, expected) => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    await actuator().scaleTo(target, []);
    expect(replicas()).toBe(expected);
  });

  it('reports pods of a scale-down as draining while they terminate', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 3, drainMs: 5000, graceSeconds: 60 });
    const a = actuator();
    expect(await a.scaleTo(1, [])).toEqual({ provisioned: 1, ready: 1, draining: 2 });
    api.advance(5000);
    expect(await a.fleet()).toEqual({ provisioned: 1, ready: 1, draining: 0 });
  });

  it('counts only ready pods as ready', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1, podsStartReady: false });
    expect(await actuator().scaleTo(3, [])).toEqual({ provisioned: 3, ready: 0, draining: 0 });
  });
});

describe('kubernetes actuator: idle pods first', () => {
  it('sets pod-deletion-cost from the workers\' busy reports so idle pods are removed first', async () => {
    const dep = api.store.addDeployment({ namespace: NS, name: DEP, replicas: 3 });
    const [p1, p2, p3] = dep.pods.map((p) => p.name) as [string, string, string];
    const store = SqliteStore.open({ path: join(dir, 'reg.db') });
    try {
      // Workers report under their pod name (downward API); one uses the default host-pid-rand id.
      await store.reportWorker(p1, 1, 'ready', 1, 0);
      await store.reportWorker(p2, 1, 'ready', 0, 0);
      await store.reportWorker(`${p3}-1-abcdef`, 1, 'ready', 2, 0);
      const a = actuator({ registry: store });
      await a.scaleTo(1, ['scale down']);
      const patches = api.sent('PATCH', /\/pods\//);
      expect(patches.map((r) => [r.path.split('/').pop(), r.contentType, r.query.fieldManager, r.body])).toEqual([
        [p1, 'application/merge-patch+json', 'bountybot', { metadata: { annotations: { [DELETION_COST_ANNOTATION]: '100' } } }],
        [p2, 'application/merge-patch+json', 'bountybot', { metadata: { annotations: { [DELETION_COST_ANNOTATION]: '0' } } }],
        [p3, 'application/merge-patch+json', 'bountybot', { metadata: { annotations: { [DELETION_COST_ANNOTATION]: '200' } } }],
      ]);
      // The idle pod (p2) and then the least busy (p1) were removed; the busiest keeps running.
      const live = api.store.deployment(NS, DEP).pods.filter((p) => p.deletionTimestamp === undefined).map((p) => p.name);
      expect(live).toEqual([p3]);
      const put = api.sent('PUT', /scale$/)[0];
      expect(api.requests.indexOf(put as never)).toBeGreaterThan(api.requests.indexOf(patches[2] as never));
      // The next scale-down patches only pods without the cost it wants (the new ones), not p3 again.
      await a.scaleTo(3, []);
      const fresh = api.store.deployment(NS, DEP).pods.filter((p) => p.deletionTimestamp === undefined && p.name !== p3).map((p) => p.name);
      const before = api.sent('PATCH', /\/pods\//).length;
      await a.scaleTo(2, []);
      expect(api.sent('PATCH', /\/pods\//).slice(before).map((r) => r.path.split('/').pop()).sort()).toEqual([...fresh].sort());
      for (const r of api.requests) expect(conformance(r)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('still scales down when the pod patch fails', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 2 });
    const store = SqliteStore.open({ path: join(dir, 'reg.db') });
    try {
      const pods = api.store.deployment(NS, DEP).pods;
      await store.reportWorker(pods[0]?.name ?? '', 1, 'ready', 1, 0);
      api.inject({ method: 'PATCH', path: /\/pods\//, status: 422, times: 10 });
      await actuator({ registry: store }).scaleTo(1, []);
      expect(replicas()).toBe(1);
    } finally {
      store.close();
    }
  });
});

describe('kubernetes actuator: faults', () => {
  it('re-reads and retries on a real resourceVersion conflict (409 Status)', async () => {
    const dep = api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    // Someone else writes the Deployment just as our first PUT arrives: its resourceVersion is stale.
    api.inject({ method: 'PUT', path: /scale$/, before: () => api.store.setReplicas(dep, 2) });
    await actuator().scaleTo(4, []);
    const puts = api.sent('PUT', /scale$/);
    expect(puts.map((r) => r.status)).toEqual([409, 200]);
    expect(replicas()).toBe(4);
  });

  it('honours Retry-After on 429', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.inject({ method: 'PUT', path: /scale$/, status: 429, retryAfterSeconds: 1 });
    await actuator().scaleTo(2, []);
    expect(sleeps).toEqual([1000]);
    expect(replicas()).toBe(2);
  });

  it('gives up at once when Retry-After exceeds the backoff budget, holding the size', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.inject({ method: 'PUT', path: /scale$/, status: 429, retryAfterSeconds: 30 });
    await expect(actuator().scaleTo(5, [])).rejects.toThrow(/429 TooManyRequests.*retry after 30 s/);
    expect(sleeps).toEqual([]);
    expect(replicas()).toBe(1);
  });

  it.each([
    ['500 InternalError', { status: 500 }],
    ['503 ServiceUnavailable', { status: 503 }],
    ['a hung request (timeout)', { hang: true }],
  ])('retries %s with backoff and succeeds', async (_name, fault) => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.inject({ method: 'GET', path: /scale$/, times: 2, ...fault });
    await actuator().scaleTo(3, []);
    expect(replicas()).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
  });

  it('waits out a slow response under the timeout without retrying', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.inject({ method: 'GET', path: /scale$/, delayMs: 200 });
    await actuator().scaleTo(2, []);
    expect(sleeps).toEqual([]);
    expect(replicas()).toBe(2);
  });

  it('stops retrying once the retry budget is spent, so a tick never stalls', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.inject({ method: 'GET', path: /scale$/, status: 503, times: 100 });
    let clock = 0;
    const a = actuator({ retry: { attempts: 10, baseDelayMs: 1000, maxDelayMs: 4000, budgetMs: 5000, random: () => 0.5, now: () => clock,
      sleep: async (ms) => { sleeps.push(ms); clock += ms; } } });
    await expect(a.scaleTo(3, [])).rejects.toThrow(/503 ServiceUnavailable/);
    expect(sleeps).toEqual([1000, 2000]); // a third wait (4000) would end past the 5000 ms budget
    expect(replicas()).toBe(1);
  });

  it('does not retry a 422 Invalid', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.inject({ method: 'PUT', path: /scale$/, status: 422 });
    const err = await actuator().scaleTo(3, []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubernetesApiError);
    expect((err as KubernetesApiError).status).toBe(422);
    expect(sleeps).toEqual([]);
  });

  it('holds the last size through an API outage and recovers (the control loop)', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 2 });
    const clock = new FakeClock();
    const policy = new StandInPolicy(); // wants ceil(queue / 10) = 5
    const source = { read: async (now: Date): Promise<Observation> => ({ timestamp: now, queueDepth: 50, validationsPerMinute: 10, avgLatencySeconds: 20, activeWorkers: 2, arrivalsPerMinute: 10 }) };
    const loop = new ControlLoop({ clock, source, actuator: actuator(), policy, intervalMs: 15_000 });
    api.inject({ status: 500, times: 1000 });
    const failed = await loop.tick();
    expect(failed.error).toMatch(/500 InternalError/);
    expect(failed.applied).toBeUndefined();
    expect(replicas()).toBe(2);
    api.clearFaults();
    clock.t += 15_000;
    const ok = await loop.tick();
    expect(ok.error).toBeUndefined();
    expect(ok.applied).toBe(5);
    expect(replicas()).toBe(5);
  });

  it('a pod that ignores SIGTERM stays draining until the grace period ends, then is gone', async () => {
    const dep = api.store.addDeployment({ namespace: NS, name: DEP, replicas: 2, drainMs: 1000, graceSeconds: 120 });
    for (const p of dep.pods) p.ignoresSigterm = true;
    const a = actuator();
    expect(await a.scaleTo(1, [])).toEqual({ provisioned: 1, ready: 1, draining: 1 });
    api.advance(119_000);
    expect(await a.fleet()).toEqual({ provisioned: 1, ready: 1, draining: 1 });
    api.advance(1_000); // the kubelet SIGKILLs it at the end of terminationGracePeriodSeconds
    expect(await a.fleet()).toEqual({ provisioned: 1, ready: 1, draining: 0 });
    expect(api.sent('PUT', /scale$/)).toHaveLength(1);
  });
});

describe('kubernetes actuator: refusals', () => {
  it('refuses to start when an HPA already targets the Deployment (direct mode)', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.store.hpas.push({ namespace: NS, name: 'bountybot-api-hpa', target: { apiVersion: 'apps/v1', kind: 'Deployment', name: DEP } });
    const err = await actuator().start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScaleTargetConflictError);
    expect((err as Error).message).toMatch(/HorizontalPodAutoscaler bountybot-api-hpa already scales Deployment bountybot-api in namespace work.*--mode hpa/);
  });

  it('starts in hpa mode next to the HPA, and never writes replicas', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    api.store.hpas.push({ namespace: NS, name: 'bountybot-api-hpa', target: { apiVersion: 'apps/v1', kind: 'Deployment', name: DEP } });
    const a = actuator({ mode: 'hpa' });
    expect(await a.start()).toEqual({ provisioned: 1, ready: 1, draining: 0 });
    await expect(a.scaleTo(3, [])).rejects.toThrow(/does not write replicas/);
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
  });

  it('names the namespace when the Deployment is missing', async () => {
    await expect(actuator().start()).rejects.toThrow(/Deployment bountybot-api not found in namespace work/);
  });

  it('fails with a usage error when the token is refused (401)', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    const bad = api.writeKubeconfig(dir, NS).replace('kubeconfig.yaml', 'bad.yaml');
    const { writeFileSync, readFileSync } = await import('node:fs');
    writeFileSync(bad, readFileSync(join(dir, 'kubeconfig.yaml'), 'utf8').replace(api.token, 'wrong'));
    const a = new KubernetesActuator({ clients: connectKubernetes({ kubeconfig: bad }), namespace: NS, deployment: DEP, maxWorkers: 5 });
    await expect(a.start()).rejects.toBeInstanceOf(UsageError);
  });

  it('writes nothing when the fence says this replica is not the leader', async () => {
    api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
    const a = actuator({ fence: async () => ({ ok: false, reason: 'lease held by other-pod' }) });
    await expect(a.scaleTo(4, [])).rejects.toBeInstanceOf(NotLeaderError);
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
    expect(replicas()).toBe(1);
  });

  it('names a missing kubeconfig file', () => {
    expect(() => connectKubernetes({ kubeconfig: join(dir, 'nope.yaml') })).toThrow(/--kubeconfig: file not found: .*nope\.yaml/);
  });
});
