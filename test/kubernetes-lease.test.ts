/**
 * Lease leader election against the API stand-in through a real kubeconfig and client: creation,
 * renewal, fail-over timing with client-go's defaults, races on resourceVersion, a stolen Lease,
 * the renew deadline during an API outage, release, and the fence the actuator checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesActuator, NotLeaderError } from '../src/adapters/kubernetes-actuator.js';
import { connectKubernetes, type KubeClients } from '../src/adapters/kubernetes-api.js';
import { KubernetesLeaseElector, LEASE_DEFAULTS } from '../src/adapters/kubernetes-lease.js';
import { conformance } from './helpers/kube-api-reference.js';
import { KubeStandIn } from './helpers/kube-standin.js';

const NS = 'work';
let api: KubeStandIn;
let dir: string;
let clients: KubeClients;
let t: number;

const elector = (identity: string): KubernetesLeaseElector =>
  new KubernetesLeaseElector({ clients, namespace: NS, identity, now: () => t });
const leaseSpec = (): Record<string, unknown> => api.store.leases.get(`${NS}/bountybot-controller`)?.spec ?? {};

beforeEach(async () => {
  api = await KubeStandIn.start();
  dir = mkdtempSync(join(tmpdir(), 'bb-lease-'));
  clients = connectKubernetes({ kubeconfig: api.writeKubeconfig(dir, NS), requestTimeoutMs: 400 });
  t = Date.parse('2026-01-05T09:00:00Z');
});

afterEach(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Kubernetes Lease elector', () => {
  it('uses client-go\'s defaults', () => {
    expect(LEASE_DEFAULTS).toEqual({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
  });

  it('creates the Lease, then renews it with optimistic concurrency; requests match the API reference', async () => {
    const a = elector('pod-a');
    expect(await a.tick(t)).toMatchObject({ leader: true, identity: 'pod-a', holder: 'pod-a', token: 0 });
    const post = api.sent('POST', /\/leases$/)[0];
    expect(post?.path).toBe(`/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`);
    expect(post?.body).toMatchObject({
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'bountybot-controller', namespace: NS },
      spec: { holderIdentity: 'pod-a', leaseDurationSeconds: 15, leaseTransitions: 0 },
    });
    const created = leaseSpec();
    expect(created.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/); // RFC3339Micro, as the API requires
    const rvBefore = api.store.leases.get(`${NS}/bountybot-controller`)?.resourceVersion;
    t += 2000;
    expect((await a.tick(t)).token).toBe(0);
    const put = api.sent('PUT', /\/leases\//)[0];
    expect((put?.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(rvBefore);
    expect(leaseSpec().acquireTime).toBe(created.acquireTime);
    expect(leaseSpec().renewTime).not.toBe(created.renewTime);
    for (const r of api.requests) expect(conformance(r), `${r.method} ${r.path} ${JSON.stringify(r.body)}`).toEqual([]);
  });

  it('fails over to a standby once the leader stops renewing, within lease duration + retry period', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    await a.tick(t);
    const lastRenew = t;
    let takeoverAt: number | undefined;
    for (let i = 1; i <= 15 && takeoverAt === undefined; i++) {
      t = lastRenew + i * LEASE_DEFAULTS.retryPeriodMs; // a is dead: only b ticks
      const l = await b.tick(t);
      if (l.leader) takeoverAt = t;
      else expect(l.holder).toBe('pod-a');
    }
    expect(takeoverAt).toBeDefined();
    const waited = (takeoverAt ?? 0) - lastRenew;
    expect(waited).toBeGreaterThanOrEqual(LEASE_DEFAULTS.leaseDurationMs);
    expect(waited).toBeLessThanOrEqual(LEASE_DEFAULTS.leaseDurationMs + 2 * LEASE_DEFAULTS.retryPeriodMs);
    expect(b.current().token).toBe(1);
    expect(leaseSpec()).toMatchObject({ holderIdentity: 'pod-b', leaseTransitions: 1 });
    // The old leader comes back: it sees the new holder and does not lead.
    expect((await a.tick(t)).leader).toBe(false);
  });

  it('never has two leaders when candidates race for an expired Lease', async () => {
    const electors = ['pod-a', 'pod-b', 'pod-c'].map(elector);
    for (let round = 0; round < 12; round++) {
      const results = await Promise.all(electors.map((e) => e.tick(t)));
      expect(results.filter((r) => r.leader).length).toBeLessThanOrEqual(1);
      t += LEASE_DEFAULTS.retryPeriodMs;
    }
    const leaders = electors.filter((e) => e.current().leader);
    expect(leaders).toHaveLength(1);
    // The race was real: all three created the Lease at once, two got 409 AlreadyExists.
    expect(api.sent('POST', /leases$/).map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('a stolen Lease stops the leader at once: the fence refuses the next scale call', async () => {
    api.store.addDeployment({ namespace: NS, name: 'bountybot-api', replicas: 1 });
    const a = elector('pod-a');
    await a.tick(t);
    const act = new KubernetesActuator({ clients, namespace: NS, deployment: 'bountybot-api', maxWorkers: 10, fence: () => a.verify() });
    await act.scaleTo(2, []);
    expect(api.store.deployment(NS, 'bountybot-api').replicas).toBe(2);
    // Another replica takes the Lease (an operator, a clock-skewed peer, …).
    const lease = api.store.leases.get(`${NS}/bountybot-controller`);
    if (!lease) throw new Error('no lease');
    lease.spec = { ...lease.spec, holderIdentity: 'thief', leaseTransitions: 1 };
    lease.resourceVersion = api.store.nextRv();
    t += 500; // well within our renew deadline: only the re-read can tell
    await expect(act.scaleTo(5, [])).rejects.toBeInstanceOf(NotLeaderError);
    expect(a.current().leader).toBe(false);
    expect(api.store.deployment(NS, 'bountybot-api').replicas).toBe(2);
    expect((await a.tick(t + 1000)).leader).toBe(false);
  });

  it('fence(token) holds only for the current holder\'s token', async () => {
    const a = elector('pod-a');
    await a.tick(t);
    expect(await a.fence(0)).toBe(true);
    expect(await a.fence(1)).toBe(false);
    const b = elector('pod-b');
    t += 16_000; // a stopped renewing; b takes over with token 1
    await b.tick(t);
    await b.tick(t + 16_000);
    expect(b.current()).toMatchObject({ leader: true, token: 1 });
    expect(await a.fence(0)).toBe(false);
    expect(await b.fence(1)).toBe(true);
  });

  it('a stolen Lease ends leadership on the next tick too', async () => {
    const a = elector('pod-a');
    await a.tick(t);
    const lease = api.store.leases.get(`${NS}/bountybot-controller`);
    if (!lease) throw new Error('no lease');
    lease.spec = { ...lease.spec, holderIdentity: 'thief', leaseTransitions: 1 };
    lease.resourceVersion = api.store.nextRv();
    t += 2000;
    expect(await a.tick(t)).toMatchObject({ leader: false, holder: 'thief' });
  });

  it('steps down when it cannot renew within the renew deadline (API down), before anyone may take over', async () => {
    const a = elector('pod-a');
    await a.tick(t);
    const renewedAt = t;
    api.inject({ path: /leases/, status: 500, times: 1000 });
    const states: Array<[number, boolean]> = [];
    for (let dt = 2000; dt <= 12_000; dt += 2000) {
      t = renewedAt + dt;
      states.push([dt, (await a.tick(t)).leader]);
    }
    expect(states).toEqual([[2000, true], [4000, true], [6000, true], [8000, true], [10_000, false], [12_000, false]]);
    expect(LEASE_DEFAULTS.renewDeadlineMs).toBeLessThan(LEASE_DEFAULTS.leaseDurationMs);
    expect((await a.verify()).ok).toBe(false);
  });

  it('releases on shutdown so a standby leads at once', async () => {
    const a = elector('pod-a');
    const b = elector('pod-b');
    await a.tick(t);
    await b.tick(t);
    await a.release();
    expect(leaseSpec()).toMatchObject({ holderIdentity: '', leaseTransitions: 0 });
    t += 2000;
    expect(await b.tick(t)).toMatchObject({ leader: true, token: 1 });
    for (const r of api.requests) expect(conformance(r)).toEqual([]);
  });

  it('never throws on API errors: a tick during an outage just reports "not leader"', async () => {
    api.inject({ status: 503, times: 5 });
    const a = elector('pod-a');
    expect(await a.tick(t)).toMatchObject({ leader: false });
    api.clearFaults();
    expect((await a.tick(t + 2000)).leader).toBe(true);
  });

  it.each([
    ['lease <= renew deadline', { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }],
    ['renew deadline <= retry', { renewDeadlineMs: 2000, retryPeriodMs: 2000 }],
  ])('rejects timings where %s', (_name, timing) => {
    expect(() => new KubernetesLeaseElector({ clients, namespace: NS, ...timing })).toThrow(/leaseDuration > renewDeadline > retryPeriod/);
  });
});
