/**
 * `bountybot manifests`: the committed deploy/kubernetes/*.yaml stay in sync with the generator;
 * every object passes the Kubernetes schema of its kind (kubernetes-models, KEDA's CRD schema for
 * the ScaledObject) and has no field unknown to the Kubernetes OpenAPI (the attribute maps of
 * @kubernetes/client-node, generated from it); the seed's HPA is printed as the release notes
 * have it; RBAC grants only what each mode calls.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { KUBERNETES_MODES, type KubernetesMode } from '../src/adapters/kubernetes-names.js';
import { manifestObjects, renderManifests } from '../src/deploy/kubernetes-manifests.js';
import type { ManifestObject } from '../src/deploy/manifest-types.js';
import { REPO_ROOT } from './helpers/runtime-helpers.js';

const MODELS: Record<string, { model: new (o: never) => { validate(): void }; openapi?: string }> = {
  'v1/Namespace': { model: Namespace, openapi: 'V1Namespace' },
  'v1/ServiceAccount': { model: ServiceAccount, openapi: 'V1ServiceAccount' },
  'v1/Service': { model: Service, openapi: 'V1Service' },
  'v1/ConfigMap': { model: ConfigMap, openapi: 'V1ConfigMap' },
  'apps/v1/Deployment': { model: Deployment, openapi: 'V1Deployment' },
  'rbac.authorization.k8s.io/v1/Role': { model: Role, openapi: 'V1Role' },
  'rbac.authorization.k8s.io/v1/RoleBinding': { model: RoleBinding, openapi: 'V1RoleBinding' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler, openapi: 'V2HorizontalPodAutoscaler' },
  'keda.sh/v1alpha1/ScaledObject': { model: ScaledObject },
};

type AttrMap = Array<{ baseName: string; type: string }>;
const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => AttrMap } | undefined>;

/** Paths of fields the Kubernetes OpenAPI does not know (kubectl's strict field validation rejects them). */
function unknownFields(value: unknown, type: string, path: string): string[] {
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, arr[1] as string, `${path}[${i}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value as object).flatMap(([k, v]) => unknownFields(v, map[1] as string, `${path}.${k}`));
  const attrs = models[type]?.getAttributeTypeMap?.();
  if (!attrs || value === null || typeof value !== 'object') return [];
  const known = new Map(attrs.map((a) => [a.baseName, a.type] as const));
  return Object.entries(value).flatMap(([k, v]) => {
    const t = known.get(k);
    return t === undefined ? [`${path}.${k}`] : unknownFields(v, t, `${path}.${k}`);
  });
}

const committed = (mode: KubernetesMode): string => readFileSync(join(REPO_ROOT, 'deploy', 'kubernetes', `${mode}.yaml`), 'utf8');

describe.each(KUBERNETES_MODES)('manifests --mode %s', (mode) => {
  const objects = manifestObjects({ mode });

  it('matches the committed deploy/kubernetes file (regenerate with `npx tsx src/cli/bin.ts manifests --mode MODE`)', () => {
    expect(committed(mode)).toBe(renderManifests({ mode }));
    const docs = parseAllDocuments(committed(mode)).map((d) => d.toJS() as unknown);
    expect(docs).toEqual(JSON.parse(JSON.stringify(objects)));
  });

  it.each(objects.map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s passes its Kubernetes schema, with no unknown field', (_name, obj) => {
    const entry = MODELS[`${obj.apiVersion}/${obj.kind}`];
    expect(entry, `no schema for ${obj.apiVersion} ${obj.kind}`).toBeDefined();
    if (!entry) return;
    expect(() => new entry.model(obj as never).validate()).not.toThrow();
    if (entry.openapi) expect(unknownFields(obj, entry.openapi, obj.kind)).toEqual([]);
  });

  it('puts every namespaced object in one namespace', () => {
    const namespaces = new Set(objects.filter((o) => o.kind !== 'Namespace').map((o) => o.metadata.namespace));
    expect([...namespaces]).toEqual(['bountybot']);
  });

  it('gives workers a grace period covering the longest validation, and their pod name', () => {
    const worker = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'bountybot-api') as ManifestObject;
    const pod = (worker.spec as { template: { spec: k8s.V1PodSpec } }).template.spec;
    const c = pod.containers[0] as k8s.V1Container;
    const arg = (flag: string): string | undefined => c.args?.[(c.args?.indexOf(flag) ?? -2) + 1];
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(arg('--job-timeout-seconds')));
    expect(Number(arg('--drain-timeout-seconds'))).toBe(Number(arg('--job-timeout-seconds')));
    expect(arg('--worker-id')).toBe('$(POD_NAME)');
    expect(c.env?.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(c.lifecycle?.preStop?.exec?.command?.join(' ')).toMatch(/kill -TERM 1/);
    expect(c.resources?.requests?.cpu).toBeDefined(); // the HPA's CPU utilization needs a request
    expect((worker.spec as { replicas?: number }).replicas).toBeUndefined(); // owned by the autoscaler
  });

  it('has the controller scraped by Prometheus and started in this mode', () => {
    const svc = objects.find((o) => o.kind === 'Service') as ManifestObject;
    expect(svc.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8088', 'prometheus.io/path': '/metrics' });
    const ctl = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'bountybot-controller') as ManifestObject;
    const args = ((ctl.spec as { template: { spec: k8s.V1PodSpec } }).template.spec.containers[0] as k8s.V1Container).args ?? [];
    expect(args.slice(0, 5)).toEqual(['run', '--actuator', 'kubernetes', '--mode', mode]);
  });
});

const rulesOf = (mode: KubernetesMode): Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }> =>
  (manifestObjects({ mode }).find((o) => o.kind === 'Role') as unknown as { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }> }).rules;
const grants = (mode: KubernetesMode): string[] =>
  rulesOf(mode).flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups[0] || 'core'}/${res}:${v}${r.resourceNames ? `@${r.resourceNames.join(',')}` : ''}`))).sort();

describe('RBAC: only what the mode calls', () => {
  it.each([
    ['direct', ['apps/deployments/scale:get@bountybot-api', 'apps/deployments/scale:update@bountybot-api', 'apps/deployments:get@bountybot-api',
      'autoscaling/horizontalpodautoscalers:list', 'coordination.k8s.io/leases:create', 'coordination.k8s.io/leases:get@bountybot-controller',
      'coordination.k8s.io/leases:update@bountybot-controller', 'core/pods:list', 'core/pods:patch']],
    ['hpa', ['apps/deployments:get@bountybot-api', 'coordination.k8s.io/leases:create', 'coordination.k8s.io/leases:get@bountybot-controller',
      'coordination.k8s.io/leases:update@bountybot-controller', 'core/pods:list']],
    ['keda', ['apps/deployments:get@bountybot-api', 'coordination.k8s.io/leases:create', 'coordination.k8s.io/leases:get@bountybot-controller',
      'coordination.k8s.io/leases:update@bountybot-controller', 'core/pods:list']],
  ] as const)('%s', (mode, expected) => {
    expect(grants(mode)).toEqual([...expected].sort());
  });

  it('no ClusterRole, no wildcard', () => {
    for (const mode of KUBERNETES_MODES) {
      expect(manifestObjects({ mode }).map((o) => o.kind)).not.toContain('ClusterRole');
      expect(JSON.stringify(rulesOf(mode))).not.toContain('*');
    }
  });
});

describe('the seed\'s HPA and the autoscaler objects', () => {
  it('prints the release notes\' HPA exactly (metadata.namespace added)', () => {
    const seed = parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'seed-hpa.yaml'), 'utf8')) as ManifestObject;
    const hpa = manifestObjects({ mode: 'hpa' }).find((o) => o.kind === 'HorizontalPodAutoscaler') as ManifestObject;
    const { namespace, ...metadata } = hpa.metadata;
    expect(namespace).toBe('bountybot');
    expect({ ...hpa, metadata }).toEqual(seed);
    expect(renderManifests({ mode: 'hpa' })).toContain('    # CPU-based scaling\n    - type: Resource');
  });

  it('follows --deployment in the HPA\'s target and name', () => {
    const hpa = manifestObjects({ mode: 'hpa', deployment: 'workers' }).find((o) => o.kind === 'HorizontalPodAutoscaler') as ManifestObject;
    expect(hpa.metadata.name).toBe('workers-hpa');
    expect((hpa.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name).toBe('workers');
  });

  it('ships prometheus-adapter rules for both custom metrics, per worker pod, in the namespace', () => {
    const cm = manifestObjects({ mode: 'hpa', namespace: 'work' }).find((o) => o.kind === 'ConfigMap') as ManifestObject;
    const config = parse((cm.data as Record<string, string>)['config.yaml'] ?? '') as { rules: Array<{ name: { as: string }; metricsQuery: string; resources: unknown }> };
    expect(config.rules.map((r) => r.name.as)).toEqual(['bountybot_autoscaling_queue_depth', 'bountybot_autoscaling_avg_latency_seconds']);
    for (const r of config.rules) {
      expect(r.resources).toEqual({ overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } });
      expect(r.metricsQuery).toContain('<<.LabelMatchers>>');
      expect(r.metricsQuery).toContain(`${r.name.as}{namespace="work"}`);
    }
    expect(config.rules[0]?.metricsQuery).toMatch(/\/ on \(namespace\) count by \(namespace\)/); // the queue is shared out per pod
  });

  it('points the ScaledObject\'s external trigger at the controller Service\'s gRPC port', () => {
    const objs = manifestObjects({ mode: 'keda', kedaPort: 9191 });
    const so = objs.find((o) => o.kind === 'ScaledObject') as ManifestObject;
    const trigger = (so.spec as { triggers: Array<{ type: string; metadata: Record<string, string> }> }).triggers[0];
    expect(trigger?.type).toBe('external');
    expect(trigger?.metadata.scalerAddress).toBe('bountybot-controller.bountybot.svc.cluster.local:9191');
    const svc = objs.find((o) => o.kind === 'Service') as ManifestObject;
    expect((svc.spec as { ports: Array<{ port: number }> }).ports.map((p) => p.port)).toContain(9191);
    expect((so.spec as { minReplicaCount: number }).minReplicaCount).toBe(0);
  });

  it.each([
    ['a namespace that is not a Kubernetes name', { namespace: 'Work_1' }, /--namespace must be a Kubernetes name.*"Work_1"/],
    ['a zero max', { maxWorkers: 0 }, /--max-workers must be an integer in \[1, 1000\]; got 0/],
    ['min above max', { minWorkers: 5, maxWorkers: 3 }, /--min-workers must be an integer in \[0, 3\]; got 5/],
    ['an unknown mode', { mode: 'swarm' }, /--mode must be one of direct, hpa, keda; got "swarm"/],
  ])('rejects %s, naming the flag', (_name, opts, message) => {
    expect(() => manifestObjects({ mode: 'direct', ...opts } as never)).toThrow(message);
  });

  it('the schema check rejects broken objects', () => {
    expect(() => new ScaledObject({ metadata: { name: 'x' }, spec: { scaleTargetRef: { name: 'a' }, triggers: [{ metadata: {} }] } } as never).validate())
      .toThrow(/triggers\/0 must have required property type/);
    expect(() => new Deployment({ metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } } as never).validate())
      .toThrow(/replicas must be integer/);
  });

  it('the unknown-field check finds a misspelt field', () => {
    expect(unknownFields({ spec: { replicsa: 2, template: { spec: { containers: [{ name: 'x', imag: 'y' }] } } } }, 'V1Deployment', 'Deployment'))
      .toEqual(['Deployment.spec.replicsa', 'Deployment.spec.template.spec.containers[0].imag']);
  });
});
