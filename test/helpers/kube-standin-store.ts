/**
 * State of the Kubernetes stand-in (kube-standin.ts): Deployments with their pods (a tiny
 * ReplicaSet controller and kubelet), Leases, HPAs; one cluster-wide resourceVersion counter;
 * merge/strategic/JSON patches; label selectors. Follows the API's wire contract, not its
 * implementation: see kube-standin.ts for what is and is not modelled.
 */
import { randomBytes } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: JsonObject;
  status: 'Failure';
  message: string;
  reason: string;
  details?: JsonObject;
  code: number;
}

/** An error that the server turns into a `Status` response. */
export class ApiStatusError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string, readonly details?: JsonObject) {
    super(message);
  }

  body(): StatusBody {
    return {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason,
      ...(this.details ? { details: this.details } : {}), code: this.code,
    };
  }
}

export const notFound = (group: string, kind: string, name: string): ApiStatusError =>
  new ApiStatusError(404, 'NotFound', `${kind}${group ? `.${group}` : ''} "${name}" not found`, { name, ...(group ? { group } : {}), kind });

export const conflict = (group: string, kind: string, name: string): ApiStatusError =>
  new ApiStatusError(409, 'Conflict',
    `Operation cannot be fulfilled on ${kind}${group ? `.${group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(group ? { group } : {}), kind });

export const invalid = (kindName: string, name: string, field: string, value: Json, why: string): ApiStatusError =>
  new ApiStatusError(422, 'Invalid', `${kindName} "${name}" is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${why}`, {
    name, kind: kindName.split('.')[0]?.toLowerCase() ?? kindName,
    causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${why}`, field }],
  });

export const badRequest = (message: string): ApiStatusError => new ApiStatusError(400, 'BadRequest', message);

// ---- label selectors (equality- and set-based, as `labelSelector=` accepts them) ----

type Requirement = (labels: Record<string, string>) => boolean;

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; throws ApiStatusError 400 on bad syntax. */
export function parseLabelSelector(raw: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0, cur = '';
  for (const ch of raw) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
  }
  if (cur.trim() !== '' || parts.length > 0) parts.push(cur);
  return parts.map((p) => {
    const s = p.trim();
    let m: RegExpMatchArray | null;
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(s))) {
      const [, k, op, v] = m as unknown as [string, string, string, string];
      return op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v;
    }
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s))) {
      const [, k, op, list] = m as unknown as [string, string, string, string];
      const set = new Set(list.split(',').map((x) => x.trim()));
      return op === 'in' ? (l) => l[k] !== undefined && set.has(l[k]) : (l) => l[k] === undefined || !set.has(l[k]);
    }
    if ((m = /^(!?)([\w./-]+)$/.exec(s))) {
      const [, not, k] = m as unknown as [string, string, string];
      return not ? (l) => l[k] === undefined : (l) => l[k] !== undefined;
    }
    throw badRequest(`unable to parse requirement: ${JSON.stringify(s)}`);
  });
}

export function matchesSelector(reqs: readonly Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => r(labels));
}

// ---- patches ----

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

/** RFC 6902 JSON patch: add, replace, remove, test (what a client scaling or annotating needs). */
export function jsonPatch(target: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw badRequest('json patch must be an array of operations');
  const doc = structuredClone(target);
  for (const op of ops) {
    if (op === null || typeof op !== 'object' || Array.isArray(op) || typeof op.path !== 'string') throw badRequest('invalid json patch operation');
    const segs = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segs.pop();
    if (last === undefined) throw badRequest('json patch path must not be empty');
    let parent: Json = doc;
    for (const s of segs) {
      if (parent === null || typeof parent !== 'object' || Array.isArray(parent) || !(s in parent)) throw badRequest(`json patch path ${op.path} does not exist`);
      parent = (parent as JsonObject)[s] as Json;
    }
    if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) throw badRequest(`json patch path ${op.path} does not exist`);
    const obj = parent as JsonObject;
    if (op.op === 'add' || op.op === 'replace') {
      if (op.op === 'replace' && !(last in obj)) throw badRequest(`json patch replace: ${op.path} does not exist`);
      obj[last] = op.value ?? null;
    } else if (op.op === 'remove') {
      if (!(last in obj)) throw badRequest(`json patch remove: ${op.path} does not exist`);
      delete obj[last];
    } else if (op.op === 'test') {
      if (JSON.stringify(obj[last]) !== JSON.stringify(op.value)) throw new ApiStatusError(422, 'Invalid', `json patch test failed at ${op.path}`);
    } else {
      throw badRequest(`json patch operation ${JSON.stringify(op.op)} not supported by the stand-in`);
    }
  }
  return doc;
}

// ---- objects ----

export interface PodSim {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ready: boolean;
  createdAt: number;
  resourceVersion: string;
  /** Set when deleted: the pod is Terminating until `goneAt`. */
  deletionTimestamp?: number;
  goneAt?: number;
  /** Pretends the container ignores SIGTERM: it stays Terminating for the whole grace period. */
  ignoresSigterm: boolean;
}

export interface DeploymentSim {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  replicas: number;
  resourceVersion: string;
  generation: number;
  createdAt: number;
  /** Grace period of its pods, ms (terminationGracePeriodSeconds). */
  graceMs: number;
  /** How long a pod that honours SIGTERM takes to drain, ms. */
  drainMs: number;
  pods: PodSim[];
  podSeq: number;
  /** Whether new pods start Ready (else call `markReady`). */
  podsStartReady: boolean;
}

export interface LeaseSim {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: string;
  createdAt: number;
  spec: JsonObject;
}

export interface HpaSim {
  namespace: string;
  name: string;
  target: { apiVersion: string; kind: string; name: string };
}

export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class StandInStore {
  private rv = 1000;
  readonly deployments = new Map<string, DeploymentSim>();
  readonly leases = new Map<string, LeaseSim>();
  readonly hpas: HpaSim[] = [];

  constructor(readonly now: () => number) {}

  nextRv(): string {
    return String(++this.rv);
  }

  key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  addDeployment(d: { namespace: string; name: string; replicas: number; graceSeconds?: number; drainMs?: number; podsStartReady?: boolean }): DeploymentSim {
    const dep: DeploymentSim = {
      namespace: d.namespace, name: d.name, uid: uid(), labels: { app: d.name }, replicas: d.replicas,
      resourceVersion: this.nextRv(), generation: 1, createdAt: this.now(), graceMs: (d.graceSeconds ?? 30) * 1000,
      drainMs: d.drainMs ?? 0, pods: [], podSeq: 0, podsStartReady: d.podsStartReady ?? true,
    };
    this.deployments.set(this.key(d.namespace, d.name), dep);
    this.reconcile(dep);
    return dep;
  }

  deployment(namespace: string, name: string): DeploymentSim {
    const d = this.deployments.get(this.key(namespace, name));
    if (!d) throw notFound('apps', 'deployments', name);
    return d;
  }

  /** Sets desired replicas (what a scale update does) and runs the ReplicaSet controller once. */
  setReplicas(d: DeploymentSim, replicas: number): void {
    if (replicas !== d.replicas) {
      d.replicas = replicas;
      d.generation++;
    }
    d.resourceVersion = this.nextRv();
    this.reconcile(d);
  }

  /**
   * The ReplicaSet controller: creates or deletes pods so that non-terminating pods = replicas.
   * Deletion order as in the controller's ActivePodsWithRanks: not-ready first, then lower
   * `controller.kubernetes.io/pod-deletion-cost`, then the newest.
   */
  reconcile(d: DeploymentSim): void {
    const now = this.now();
    const live = d.pods.filter((p) => p.deletionTimestamp === undefined);
    for (let i = live.length; i < d.replicas; i++) {
      const name = `${d.name}-7d9f8c6b5-${randomBytes(3).toString('hex').slice(0, 5)}`;
      d.pods.push({
        name, labels: { ...d.labels, 'pod-template-hash': '7d9f8c6b5' }, annotations: {}, ready: d.podsStartReady,
        createdAt: now + d.podSeq++, resourceVersion: this.nextRv(), ignoresSigterm: false,
      });
    }
    if (live.length > d.replicas) {
      const ranked = [...live].sort((a, b) =>
        (a.ready === b.ready ? 0 : a.ready ? 1 : -1)
        || deletionCost(a) - deletionCost(b)
        || b.createdAt - a.createdAt);
      for (const p of ranked.slice(0, live.length - d.replicas)) {
        p.deletionTimestamp = now;
        p.goneAt = now + (p.ignoresSigterm ? d.graceMs : Math.min(d.drainMs, d.graceMs));
        p.resourceVersion = this.nextRv();
      }
    }
    this.kubelet();
  }

  /** The kubelet: removes pods whose termination finished (drained, or SIGKILLed at the end of the grace). */
  kubelet(): void {
    const now = this.now();
    for (const d of this.deployments.values()) {
      d.pods = d.pods.filter((p) => p.goneAt === undefined || p.goneAt > now);
    }
  }

  deploymentJson(d: DeploymentSim): JsonObject {
    this.kubelet();
    const live = d.pods.filter((p) => p.deletionTimestamp === undefined);
    const ready = live.filter((p) => p.ready).length;
    return {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: {
        name: d.name, namespace: d.namespace, uid: d.uid, resourceVersion: d.resourceVersion, generation: d.generation,
        creationTimestamp: rfc3339(d.createdAt), labels: d.labels,
      },
      spec: {
        replicas: d.replicas, selector: { matchLabels: d.labels },
        template: { metadata: { labels: d.labels }, spec: { terminationGracePeriodSeconds: d.graceMs / 1000, containers: [{ name: 'worker', image: 'bountybot:test' }] } },
      },
      status: {
        observedGeneration: d.generation, replicas: live.length, updatedReplicas: live.length, readyReplicas: ready,
        availableReplicas: ready, ...(live.length > ready ? { unavailableReplicas: live.length - ready } : {}),
      },
    };
  }

  scaleJson(d: DeploymentSim): JsonObject {
    this.kubelet();
    const live = d.pods.filter((p) => p.deletionTimestamp === undefined);
    return {
      kind: 'Scale', apiVersion: 'autoscaling/v1',
      metadata: { name: d.name, namespace: d.namespace, uid: d.uid, resourceVersion: d.resourceVersion, creationTimestamp: rfc3339(d.createdAt) },
      spec: { replicas: d.replicas },
      status: { replicas: live.length, selector: Object.entries(d.labels).map(([k, v]) => `${k}=${v}`).join(',') },
    };
  }

  podJson(d: DeploymentSim, p: PodSim): JsonObject {
    return {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        name: p.name, namespace: d.namespace, uid: `uid-${p.name}`, resourceVersion: p.resourceVersion,
        creationTimestamp: rfc3339(p.createdAt), labels: p.labels,
        ...(Object.keys(p.annotations).length > 0 ? { annotations: p.annotations } : {}),
        ...(p.deletionTimestamp !== undefined ? { deletionTimestamp: rfc3339(p.deletionTimestamp), deletionGracePeriodSeconds: d.graceMs / 1000 } : {}),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${d.name}-7d9f8c6b5`, uid: `rs-${d.uid}`, controller: true, blockOwnerDeletion: true }],
      },
      spec: { terminationGracePeriodSeconds: d.graceMs / 1000, containers: [{ name: 'worker', image: 'bountybot:test' }] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: p.ready && p.deletionTimestamp === undefined ? 'True' : 'False' }],
      },
    };
  }

  /** All pods in a namespace (any Deployment), with their Deployment. */
  podsIn(namespace: string): Array<{ d: DeploymentSim; p: PodSim }> {
    this.kubelet();
    const out: Array<{ d: DeploymentSim; p: PodSim }> = [];
    for (const d of this.deployments.values()) if (d.namespace === namespace) for (const p of d.pods) out.push({ d, p });
    return out;
  }

  leaseJson(l: LeaseSim): JsonObject {
    return {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
      metadata: { name: l.name, namespace: l.namespace, uid: l.uid, resourceVersion: l.resourceVersion, creationTimestamp: rfc3339(l.createdAt) },
      spec: l.spec,
    };
  }
}

function deletionCost(p: PodSim): number {
  const raw = p.annotations['controller.kubernetes.io/pod-deletion-cost'];
  const v = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(v) ? v : 0;
}

export function uid(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
