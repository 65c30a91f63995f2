/**
 * Actuator `kubernetes`: sizes a worker Deployment through its `scale` subresource
 * (apps/v1 …/deployments/{name}/scale: read, then update with the read resourceVersion, field
 * manager `bountybot`). Fleet state comes from the Deployment (desired and ready replicas) and
 * its pods (a Terminating pod is draining). Before a scale-down it sets
 * `controller.kubernetes.io/pod-deletion-cost` on the pods so the ReplicaSet removes idle workers
 * first: busy/idle comes from the worker registry, where each worker reports under its pod name.
 */
import type { V1Deployment, V1LabelSelector, V1Pod, V1Scale } from '@kubernetes/client-node';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { BountybotError, UsageError } from '../autoscaling/errors.js';
import type { Actuator, FleetState } from '../control/interfaces.js';
import { silentLogger, type Logger, type WorkerRegistry, type WorkerRow } from '../control/ports.js';
import { kubeError, KubernetesApiError, messageOf, withRetry, type KubeClients, type RetryOptions } from './kubernetes-api.js';

import { DELETION_COST_ANNOTATION, FIELD_MANAGER, type KubernetesMode } from './kubernetes-names.js';

export { DELETION_COST_ANNOTATION, FIELD_MANAGER, type KubernetesMode };

/** Answer of the leadership check made right before every write. */
export interface FenceCheck {
  ok: boolean;
  reason?: string;
}

export interface KubernetesActuatorOptions {
  clients: KubeClients;
  namespace: string;
  deployment: string;
  /** `direct` refuses to start while an HPA targets the Deployment; `hpa` and `keda` never write replicas. */
  mode?: KubernetesMode;
  maxWorkers: number;
  /** Busy/idle per worker, for the deletion cost; without it pods are left to the ReplicaSet's own order. */
  registry?: WorkerRegistry;
  /** Re-checks leadership immediately before each write; a failed check refuses the write. */
  fence?: () => Promise<FenceCheck>;
  retry?: RetryOptions;
  /** A registry row older than this does not count as a report of its pod, ms. Default 30000. */
  reportStaleMs?: number;
  logger?: Logger;
  now?: () => number;
}

/** Refused to act: another autoscaler (an HPA, KEDA's HPA) owns the Deployment's replicas. */
export class ScaleTargetConflictError extends UsageError {
  constructor(message: string) {
    super(message, { code: 'KUBERNETES_SCALE_CONFLICT' });
  }
}

/** A write refused because this replica is not (or no longer) the leader. */
export class NotLeaderError extends BountybotError {
  constructor(message: string) {
    super('NOT_LEADER', message);
  }
}

export class KubernetesActuator implements Actuator {
  private readonly o: KubernetesActuatorOptions & { mode: KubernetesMode; logger: Logger; now: () => number; reportStaleMs: number };
  private selector: string | undefined;
  private lastWritten: number | undefined;

  constructor(opts: KubernetesActuatorOptions) {
    if (!(Number.isInteger(opts.maxWorkers) && opts.maxWorkers >= 0)) {
      throw new RangeError(`maxWorkers must be an integer >= 0; got ${String(opts.maxWorkers)}`);
    }
    this.o = { mode: 'direct', logger: silentLogger, now: Date.now, reportStaleMs: 30_000, ...opts };
  }

  private get what(): string {
    return `deployments/${this.o.deployment} in namespace ${this.o.namespace}`;
  }

  /** Checks the Deployment exists and, in `direct` mode, that no HPA already scales it. */
  async start(): Promise<FleetState> {
    try {
      await withRetry(`GET ${this.what}`, () => this.readDeployment(), this.o.retry, this.logRetry);
    } catch (err) {
      const e = kubeError(err, `GET ${this.what}`);
      if (e.status === 404) throw new UsageError(`Deployment ${this.o.deployment} not found in namespace ${this.o.namespace} (${e.message})`, { cause: e });
      if (e.status === 401 || e.status === 403) throw new UsageError(`not allowed to read ${this.what}: ${e.message}; see the Role in deploy/kubernetes/`, { cause: e });
      if (e.status === undefined) throw new UsageError(`cannot reach the Kubernetes API: ${e.message}`, { cause: e });
      throw e;
    }
    if (this.o.mode === 'direct') await this.refuseIfHpaOwnsTarget();
    return this.fleet();
  }

  /** Throws ScaleTargetConflictError when an HorizontalPodAutoscaler targets our Deployment. */
  async refuseIfHpaOwnsTarget(): Promise<void> {
    let hpas;
    try {
      hpas = await withRetry(`GET horizontalpodautoscalers in ${this.o.namespace}`,
        () => this.o.clients.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace: this.o.namespace }), this.o.retry);
    } catch (err) {
      const e = kubeError(err, 'list horizontalpodautoscalers');
      if (e.status === 403) {
        this.o.logger.warn({ err: e.message }, 'cannot list HorizontalPodAutoscalers (forbidden): not checking whether one already scales the Deployment');
        return;
      }
      throw e;
    }
    const owner = hpas.items.find((h) => h.spec?.scaleTargetRef.kind === 'Deployment' && h.spec.scaleTargetRef.name === this.o.deployment
      && (h.spec.scaleTargetRef.apiVersion ?? 'apps/v1').startsWith('apps/'));
    if (owner) {
      const name = owner.metadata?.name ?? '?';
      const keda = name.startsWith('keda-hpa-') ? ' (created by a KEDA ScaledObject)' : '';
      throw new ScaleTargetConflictError(
        `HorizontalPodAutoscaler ${name}${keda} already scales Deployment ${this.o.deployment} in namespace ${this.o.namespace}: `
        + `bountybot and it would fight over spec.replicas. Delete it, or run with --mode hpa (bountybot exports metrics for it) `
        + `or --mode keda (bountybot serves KEDA's external scaler).`);
    }
  }

  async fleet(): Promise<FleetState> {
    const dep = await withRetry(`GET ${this.what}`, () => this.readDeployment(), this.o.retry, this.logRetry);
    const pods = await this.listPods(dep);
    const provisioned = dep.spec?.replicas ?? 0;
    const draining = pods.filter((p) => p.metadata?.deletionTimestamp !== undefined).length;
    const ready = Math.min(provisioned, dep.status?.readyReplicas ?? 0);
    return { provisioned, ready, draining };
  }

  async scaleTo(target: number, reasoning: readonly string[]): Promise<FleetState> {
    if (this.o.mode !== 'direct') throw new BountybotError('KUBERNETES_MODE', `kubernetes mode ${this.o.mode}: bountybot does not write replicas`);
    const want = Math.max(0, Math.min(this.o.maxWorkers, Math.floor(Number.isFinite(target) ? target : 0)));
    const current = await withRetry(`GET ${this.what}/scale`, () => this.readScale(), this.o.retry, this.logRetry);
    const from = current.spec?.replicas ?? 0;
    if (this.lastWritten !== undefined && from !== this.lastWritten) {
      this.o.logger.warn({ expected: this.lastWritten, found: from }, 'replicas changed by someone else since our last write; re-checking for an HPA');
      await this.refuseIfHpaOwnsTarget();
    }
    if (want !== from) {
      if (want < from) await this.preferIdlePods(from - want);
      await withRetry(`PUT ${this.what}/scale`, async () => {
        // Re-read on every attempt: a 409 means our resourceVersion is stale.
        const scale = await this.readScale();
        await this.checkFence();
        const body: V1Scale = {
          apiVersion: 'autoscaling/v1', kind: 'Scale',
          metadata: { name: this.o.deployment, namespace: this.o.namespace, resourceVersion: scale.metadata?.resourceVersion ?? '' },
          spec: { replicas: want },
        };
        return this.o.clients.apps.replaceNamespacedDeploymentScale({
          name: this.o.deployment, namespace: this.o.namespace, body, fieldManager: FIELD_MANAGER,
        });
      }, this.o.retry, this.logRetry);
      this.lastWritten = want;
      this.o.logger.info({ deployment: this.o.deployment, namespace: this.o.namespace, from, to: want, reasoning }, 'scaled Deployment');
    } else {
      this.lastWritten = want;
    }
    return this.fleet();
  }

  /**
   * Gives idle pods the lowest deletion cost and busy pods a cost that grows with their running
   * jobs, so the ReplicaSet removes idle workers first. Best effort: a failure is logged and the
   * scale-down goes on (a busy pod that is removed still drains within its grace period).
   */
  private async preferIdlePods(removing: number): Promise<void> {
    if (!this.o.registry) return;
    try {
      const dep = await this.readDeployment();
      const pods = (await this.listPods(dep)).filter((p) => p.metadata?.deletionTimestamp === undefined);
      const rows = await this.o.registry.listWorkers(['starting', 'ready', 'draining']);
      const now = this.o.now();
      let idle = 0;
      for (const pod of pods) {
        const name = pod.metadata?.name;
        if (name === undefined) continue;
        const busy = busyOf(name, rows, now - this.o.reportStaleMs);
        if (busy === 0) idle++;
        // Unknown (no fresh report) counts as idle: a silent worker is the cheapest to lose.
        const cost = String(Math.min(1_000_000, (busy ?? 0) * 100));
        // Every pod gets an explicit cost once (absent reads as 0, but an explicit value shows what was decided).
        if (pod.metadata?.annotations?.[DELETION_COST_ANNOTATION] === cost) continue;
        await this.checkFence();
        await withRetry(`PATCH pods/${name}`, () => this.o.clients.core.patchNamespacedPod(
          { name, namespace: this.o.namespace, body: { metadata: { annotations: { [DELETION_COST_ANNOTATION]: cost } } }, fieldManager: FIELD_MANAGER },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ), this.o.retry, this.logRetry);
      }
      this.o.logger.info({ removing, idlePods: idle, pods: pods.length }, 'set pod-deletion-cost: idle workers go first');
    } catch (err) {
      if (err instanceof NotLeaderError) throw err;
      this.o.logger.warn({ err: messageOf(err) }, 'could not set pod-deletion-cost; scaling down in the ReplicaSet\'s own order');
    }
  }

  private async checkFence(): Promise<void> {
    if (!this.o.fence) return;
    const check = await this.o.fence();
    if (!check.ok) throw new NotLeaderError(`not writing to ${this.what}: ${check.reason ?? 'this replica is not the leader'}`);
  }

  private readDeployment(): Promise<V1Deployment> {
    return this.o.clients.apps.readNamespacedDeployment({ name: this.o.deployment, namespace: this.o.namespace });
  }

  private readScale(): Promise<V1Scale> {
    return this.o.clients.apps.readNamespacedDeploymentScale({ name: this.o.deployment, namespace: this.o.namespace });
  }

  private async listPods(dep: V1Deployment): Promise<V1Pod[]> {
    this.selector = selectorString(dep.spec?.selector) ?? this.selector;
    if (this.selector === undefined) throw new KubernetesApiError(`${this.what} has no label selector`, undefined, undefined, false, undefined, undefined);
    const labelSelector = this.selector;
    const list = await withRetry(`GET pods in ${this.o.namespace}`,
      () => this.o.clients.core.listNamespacedPod({ namespace: this.o.namespace, labelSelector }), this.o.retry, this.logRetry);
    return list.items;
  }

  private readonly logRetry = (err: KubernetesApiError, delayMs: number, attempt: number): void => {
    this.o.logger.warn({ err: err.message, attempt, retryInMs: delayMs }, 'Kubernetes API call failed; retrying');
  };
}

/**
 * Running jobs of the worker in pod `podName`. A worker names its pod by its id (`--worker-id
 * $(POD_NAME)`), by the default `host-pid-rand` id (a pod's host name is its name), or by the
 * registry's host field where it has one.
 */
function busyOf(podName: string, rows: readonly WorkerRow[], freshAfterMs: number): number | undefined {
  let best: WorkerRow | undefined;
  for (const r of rows) {
    const host = (r as WorkerRow & { host?: string }).host;
    if (r.workerId !== podName && !r.workerId.startsWith(`${podName}-`) && host !== podName) continue;
    if (r.heartbeatAt.getTime() < freshAfterMs) continue;
    if (!best || r.heartbeatAt > best.heartbeatAt) best = r;
  }
  return best?.busy;
}

/** A LabelSelector as the `labelSelector` query parameter spells it. */
export function selectorString(sel: V1LabelSelector | undefined): string | undefined {
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
