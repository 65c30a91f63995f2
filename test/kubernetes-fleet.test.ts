/**
 * The Kubernetes fleet as the controller uses it (actuator + Lease + KEDA scaler), in-process
 * against the API stand-in: only the Lease holder writes, a standby takes over, shutdown releases
 * the Lease without touching the workers, keda mode reports what it asked KEDA for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectKubernetes, type KubeClients } from '../src/adapters/kubernetes-api.js';
import { silentLogger } from '../src/control/ports.js';
import { KubernetesFleet, type KubernetesSettings } from '../src/startup/kubernetes-fleet.js';
import { KubeStandIn } from './helpers/kube-standin.js';

const NS = 'work';
const DEP = 'bountybot-api';
let api: KubeStandIn;
let dir: string;
let clients: KubeClients;
const fleets: KubernetesFleet[] = [];

const fleet = (s: Partial<KubernetesSettings> = {}, identity = 'pod-a'): KubernetesFleet => {
  const f = new KubernetesFleet({ mode: 'direct', namespace: NS, deployment: DEP, identity, ...s },
    { maxWorkers: 8, logger: silentLogger, intervalMs: 1000, clients, env: {} });
  fleets.push(f);
  return f;
};

beforeEach(async () => {
  api = await KubeStandIn.start({ startMs: Date.now() });
  api.store.addDeployment({ namespace: NS, name: DEP, replicas: 1 });
  dir = mkdtempSync(join(tmpdir(), 'bb-kfleet-'));
  clients = connectKubernetes({ kubeconfig: api.writeKubeconfig(dir, NS), requestTimeoutMs: 1000 });
});

afterEach(async () => {
  for (const f of fleets.splice(0)) f.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('KubernetesFleet', () => {
  it('only the Lease holder scales; the standby reports the fleet and writes nothing', async () => {
    const a = fleet({}, 'pod-a');
    const b = fleet({}, 'pod-b');
    await a.start();
    await b.start();
    expect(a.leadership().leader).toBe(true);
    expect(b.leadership()).toMatchObject({ leader: false, holder: 'pod-a' });
    expect(await b.scaleTo(4, [])).toEqual({ provisioned: 1, ready: 1, draining: 0 });
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
    expect(await a.scaleTo(4, [])).toEqual({ provisioned: 4, ready: 4, draining: 0 });
    expect(api.sent('PUT', /scale$/)).toHaveLength(1);
  });

  it('shutdown releases the Lease and leaves the workers as they are; the standby leads next', async () => {
    const a = fleet({}, 'pod-a');
    const b = fleet({}, 'pod-b');
    await a.start();
    await b.start();
    await a.scaleTo(3, []);
    await a.stopAll();
    expect(api.store.deployment(NS, DEP).replicas).toBe(3);
    expect(api.store.leases.get(`${NS}/bountybot-controller`)?.spec.holderIdentity).toBe('');
    expect((await b.elector.tick(Date.now())).leader).toBe(true);
    expect((await b.scaleTo(2, [])).provisioned).toBe(2);
  });

  it('a leader whose Lease was taken does not write, and says so', async () => {
    const a = fleet({}, 'pod-a');
    await a.start();
    const lease = api.store.leases.get(`${NS}/bountybot-controller`);
    if (!lease) throw new Error('no lease');
    lease.spec = { ...lease.spec, holderIdentity: 'pod-z', leaseTransitions: 1 };
    lease.resourceVersion = api.store.nextRv();
    expect(await a.scaleTo(6, [])).toEqual({ provisioned: 1, ready: 1, draining: 0 });
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
    expect(a.leadership().leader).toBe(false);
  });

  it.each([
    ['hpa', undefined],
    ['keda', 0],
  ] as const)('%s mode never writes replicas', async (mode, kedaPort) => {
    const f = fleet({ mode, ...(kedaPort !== undefined ? { kedaPort, kedaHost: '127.0.0.1' } : {}) });
    await f.start();
    await f.scaleTo(5, []);
    expect(api.sent('PUT', /scale$/)).toHaveLength(0);
    expect(api.store.deployment(NS, DEP).replicas).toBe(1);
  });

  it('keda mode reports the workers it asked KEDA for (the request), with the pods that are really ready', async () => {
    const f = fleet({ mode: 'keda', kedaPort: 0, kedaHost: '127.0.0.1' });
    await f.start();
    expect(await f.fleet()).toEqual({ provisioned: 1, ready: 1, draining: 0 });
    expect(await f.scaleTo(5, [])).toEqual({ provisioned: 5, ready: 1, draining: 0 });
    expect(await f.scaleTo(0, [])).toEqual({ provisioned: 0, ready: 0, draining: 0 });
  });
});
