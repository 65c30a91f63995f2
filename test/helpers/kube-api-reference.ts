/**
 * The operations of the Kubernetes API reference (v1.33, the OpenAPI the API server publishes)
 * that BountyBot's adapters may use: method, path template, accepted request content types and
 * query parameters. Tests check every request the client really sent against this table, and
 * each request body against the Kubernetes schema of its kind (kubernetes-models).
 */
import { Scale } from 'kubernetes-models/autoscaling/v1';
import { Lease } from 'kubernetes-models/coordination.k8s.io/v1';
import type { RecordedRequest } from './kube-standin.js';

interface Operation {
  id: string;
  method: string;
  path: RegExp;
  /** Accepted request content types; empty when the operation takes no body. */
  contentTypes: readonly string[];
  query: readonly string[];
  /** Validates the body against the kind's schema (throws). */
  validate?: (body: unknown) => void;
}

const NAME = '[a-z0-9]([-a-z0-9.]*[a-z0-9])?';
const READ_Q = ['pretty'];
const WRITE_Q = ['dryRun', 'fieldManager', 'fieldValidation', 'pretty'];
const PATCH_Q = [...WRITE_Q, 'force'];
const LIST_Q = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'pretty', 'resourceVersion',
  'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const JSON_BODY = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const PATCH_BODY = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const ns = (rest: string): RegExp => new RegExp(`^/(api/v1|apis/[a-z0-9.]+/v[0-9a-z]+)/namespaces/${NAME}/${rest}$`);

export const API_REFERENCE: readonly Operation[] = [
  { id: 'readAppsV1NamespacedDeployment', method: 'GET', path: ns(`deployments/${NAME}`), contentTypes: [], query: READ_Q },
  { id: 'readAppsV1NamespacedDeploymentScale', method: 'GET', path: ns(`deployments/${NAME}/scale`), contentTypes: [], query: READ_Q },
  {
    id: 'replaceAppsV1NamespacedDeploymentScale', method: 'PUT', path: ns(`deployments/${NAME}/scale`), contentTypes: JSON_BODY, query: WRITE_Q,
    validate: (b) => new Scale(b as never).validate(),
  },
  { id: 'patchAppsV1NamespacedDeploymentScale', method: 'PATCH', path: ns(`deployments/${NAME}/scale`), contentTypes: PATCH_BODY, query: PATCH_Q },
  { id: 'listCoreV1NamespacedPod', method: 'GET', path: ns('pods'), contentTypes: [], query: LIST_Q },
  { id: 'patchCoreV1NamespacedPod', method: 'PATCH', path: ns(`pods/${NAME}`), contentTypes: PATCH_BODY, query: PATCH_Q },
  { id: 'listAutoscalingV2NamespacedHorizontalPodAutoscaler', method: 'GET', path: ns('horizontalpodautoscalers'), contentTypes: [], query: LIST_Q },
  { id: 'readCoordinationV1NamespacedLease', method: 'GET', path: ns(`leases/${NAME}`), contentTypes: [], query: READ_Q },
  {
    id: 'createCoordinationV1NamespacedLease', method: 'POST', path: ns('leases'), contentTypes: JSON_BODY, query: WRITE_Q,
    validate: (b) => new Lease(b as never).validate(),
  },
  {
    id: 'replaceCoordinationV1NamespacedLease', method: 'PUT', path: ns(`leases/${NAME}`), contentTypes: JSON_BODY, query: WRITE_Q,
    validate: (b) => new Lease(b as never).validate(),
  },
];

/** The problems of one recorded request against the reference; empty when it conforms. */
export function conformance(r: RecordedRequest): string[] {
  const op = API_REFERENCE.find((o) => o.method === r.method && o.path.test(r.path));
  if (!op) return [`${r.method} ${r.path}: no such operation in the API reference table`];
  const problems: string[] = [];
  const ct = (r.contentType ?? '').split(';')[0]?.trim() ?? '';
  if (op.contentTypes.length === 0 && r.body !== undefined) problems.push(`${op.id}: takes no body`);
  if (op.contentTypes.length > 0 && !op.contentTypes.includes(ct)) problems.push(`${op.id}: content type ${JSON.stringify(ct)} not accepted`);
  for (const q of Object.keys(r.query)) if (!op.query.includes(q)) problems.push(`${op.id}: unknown query parameter ${q}`);
  if (r.query.fieldManager !== undefined && (r.query.fieldManager.length > 128 || !/^[\x20-\x7e]+$/.test(r.query.fieldManager))) {
    problems.push(`${op.id}: fieldManager must be <= 128 printable characters`);
  }
  if (!r.authorization?.startsWith('Bearer ')) problems.push(`${op.id}: no bearer token`);
  if (op.validate && r.body !== undefined) {
    try { op.validate(r.body); } catch (err) { problems.push(`${op.id}: body fails the schema: ${String(err)}`); }
  }
  return problems;
}
