/**
 * The API stand-in itself, over HTTPS with its CA: the wire contract the adapters are tested
 * against (Status bodies, optimistic concurrency, patch content types, label selectors).
 */
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeStandIn } from './helpers/kube-standin.js';

let api: KubeStandIn;
const CA = readFileSync(new URL('./fixtures/standin-tls/cert.pem', import.meta.url));

function call(method: string, path: string, body?: unknown, contentType = 'application/json', token = api.token): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, ca: CA, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const SCALE = '/apis/apps/v1/namespaces/ns/deployments/w/scale';

beforeAll(async () => {
  api = await KubeStandIn.start();
  api.store.addDeployment({ namespace: 'ns', name: 'w', replicas: 2 });
  api.store.addDeployment({ namespace: 'ns', name: 'other', replicas: 1 });
});
afterAll(async () => { await api.close(); });

describe('Kubernetes API stand-in', () => {
  it.each([
    ['401 without the token', () => call('GET', SCALE, undefined, 'application/json', 'nope'), 401, 'Unauthorized'],
    ['404 for a missing Deployment', () => call('GET', '/apis/apps/v1/namespaces/ns/deployments/nope/scale'), 404, 'NotFound'],
    ['404 for an unknown path', () => call('GET', '/apis/batch/v1/namespaces/ns/jobs'), 404, 'NotFound'],
    ['409 for a stale resourceVersion', () => call('PUT', SCALE, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'w', resourceVersion: '1' }, spec: { replicas: 3 } }), 409, 'Conflict'],
    ['415 for a patch content type the API does not take', () => call('PATCH', SCALE, { spec: { replicas: 3 } }, 'application/json'), 415, 'UnsupportedMediaType'],
    ['422 for negative replicas', () => call('PATCH', SCALE, { spec: { replicas: -1 } }, 'application/merge-patch+json'), 422, 'Invalid'],
    ['400 for a Lease time without microseconds', () => call('POST', '/apis/coordination.k8s.io/v1/namespaces/ns/leases',
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { renewTime: '2026-01-01T00:00:00.000Z' } }), 400, 'BadRequest'],
  ])('answers %s as a Status object', async (_name, send, code, reason) => {
    const res = await send();
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message: expect.any(String) });
  });

  it('answers an injected 429 with Retry-After and details.retryAfterSeconds', async () => {
    api.inject({ path: /scale$/, status: 429, retryAfterSeconds: 3 });
    const res = await call('GET', SCALE);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
    expect(res.body).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 3 } });
  });

  it.each([
    ['application/merge-patch+json', { spec: { replicas: 4 } }],
    ['application/strategic-merge-patch+json', { spec: { replicas: 5 } }],
    ['application/json-patch+json', [{ op: 'replace', path: '/spec/replicas', value: 6 }]],
  ])('applies a %s patch to the scale subresource', async (type, patch) => {
    const res = await call('PATCH', SCALE, patch, type);
    expect(res.status).toBe(200);
    expect((res.body.spec as { replicas: number }).replicas).toBe(api.store.deployment('ns', 'w').replicas);
  });

  it.each([
    ['equality', 'app=w', ['w']],
    ['inequality', 'app!=w', ['other']],
    ['set-based in', 'app in (w,other)', ['other', 'w']],
    ['set-based notin', 'app notin (w)', ['other']],
    ['existence', 'app', ['other', 'w']],
    ['two requirements', 'app=w,pod-template-hash', ['w']],
  ])('lists pods by a label selector (%s)', async (_name, selector, apps) => {
    const res = await call('GET', `/api/v1/namespaces/ns/pods?labelSelector=${encodeURIComponent(selector)}`);
    expect(res.body.kind).toBe('PodList');
    const got = new Set((res.body.items as Array<{ metadata: { labels: { app: string } } }>).map((p) => p.metadata.labels.app));
    expect([...got].sort()).toEqual(apps);
  });

  it('rejects a malformed label selector with 400', async () => {
    const res = await call('GET', `/api/v1/namespaces/ns/pods?labelSelector=${encodeURIComponent('app in w')}`);
    expect(res).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
  });
});
