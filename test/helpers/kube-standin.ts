/**
 * A local stand-in for the Kubernetes API server, for contract tests of the kubernetes actuator
 * and the Lease elector (no API server can run on these machines). It implements the wire
 * contract those adapters use, as the API reference documents it:
 *   GET  /apis/apps/v1/namespaces/{ns}/deployments/{name}
 *   GET  /apis/apps/v1/namespaces/{ns}/deployments/{name}/scale          (autoscaling/v1 Scale)
 *   PUT  …/scale  (optimistic concurrency on metadata.resourceVersion: 409 Conflict)
 *   PATCH …/scale, PATCH /api/v1/namespaces/{ns}/pods/{name}
 *        (application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json; else 415)
 *   GET  /api/v1/namespaces/{ns}/pods?labelSelector=…                     (equality- and set-based selectors)
 *   GET  /apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers
 *   GET/POST/PUT/DELETE /apis/coordination.k8s.io/v1/namespaces/{ns}/leases[/{name}]  (MicroTime checked)
 * Every error is a `Status` object (404 NotFound, 409 Conflict/AlreadyExists, 415, 422 Invalid,
 * 429 TooManyRequests with Retry-After, 500 InternalError); bearer-token auth (401); injected
 * faults (status codes, slow responses, hangs). It records every request the client really sends.
 * It serves HTTPS with a fixed self-signed certificate for 127.0.0.1 (test/fixtures/standin-tls/),
 * which the kubeconfig it writes names as the cluster's CA, so the client verifies TLS as with a
 * real cluster. Not modelled: watches, admission, protobuf, server-side apply merge semantics, other resources.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import {
  ApiStatusError, badRequest, conflict, invalid, jsonPatch, matchesSelector, mergePatch, notFound,
  parseLabelSelector, StandInStore, uid, type Json, type JsonObject,
} from './kube-standin-store.js';

export { StandInStore };

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  contentType?: string;
  accept?: string;
  authorization?: string;
  /** Parsed JSON body, when there was one. */
  body?: unknown;
  /** Status code answered (0 when the stand-in hung up or never answered). */
  status: number;
}

export interface Fault {
  method?: string;
  path?: RegExp;
  /** How many matching requests it hits. Default 1. */
  times?: number;
  /** Answer with this status (a Status body). */
  status?: number;
  retryAfterSeconds?: number;
  /** Wait this long before handling (a slow API server). */
  delayMs?: number;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** Runs when the request arrives, before it is handled (e.g. a concurrent writer). */
  before?: () => void;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 415: 'UnsupportedMediaType',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];
const TLS_DIR = fileURLToPath(new URL('../fixtures/standin-tls/', import.meta.url));
const TLS_CERT = readFileSync(join(TLS_DIR, 'cert.pem'));
const TLS_KEY = readFileSync(join(TLS_DIR, 'key.pem'));
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/;

export class KubeStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly store: StandInStore;
  private readonly faults: Array<Fault & { left: number }> = [];
  private readonly sockets = new Set<Duplex>();
  private clockMs: number;

  private constructor(private readonly server: Server, readonly token: string, startMs: number) {
    this.clockMs = startMs;
    this.store = new StandInStore(() => this.clockMs);
  }

  /** Starts on 127.0.0.1 and a free port. The stand-in's clock only moves with `advance()`. */
  static async start(opts: { token?: string; startMs?: number } = {}): Promise<KubeStandIn> {
    let self: KubeStandIn | undefined;
    const server = createServer({ cert: TLS_CERT, key: TLS_KEY }, (req, res) => { void self?.handle(req, res); });
    self = new KubeStandIn(server, opts.token ?? 'stand-in-token', opts.startMs ?? Date.parse('2026-01-05T09:00:00Z'));
    const s = self;
    server.on('connection', (sock) => { s.sockets.add(sock); sock.on('close', () => s.sockets.delete(sock)); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Moves the stand-in's clock (pod terminations, the kubelet's SIGKILL at the end of the grace period). */
  advance(ms: number): void {
    this.clockMs += ms;
    this.store.kubelet();
  }

  now(): number {
    return this.clockMs;
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Writes a kubeconfig pointing at this server with its bearer token; returns the path. */
  writeKubeconfig(dir: string, namespace = 'default'): string {
    const path = join(dir, 'kubeconfig.yaml');
    writeFileSync(path, stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'stand-in',
      clusters: [{ name: 'stand-in', cluster: { server: this.url, 'certificate-authority-data': TLS_CERT.toString('base64') } }],
      users: [{ name: 'bountybot', user: { token: this.token } }],
      contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'bountybot', namespace } }],
    }));
    return path;
  }

  /** Requests matching method and a path regexp. */
  sent(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const raw = await readBody(req);
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0,
      ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
      ...(req.headers.accept !== undefined ? { accept: req.headers.accept } : {}),
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
    };
    if (raw.length > 0) {
      try { rec.body = JSON.parse(raw); } catch { rec.body = raw; }
    }
    this.requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      rec.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const fault = this.faults.find((f) => f.left > 0 && (f.method === undefined || f.method === rec.method) && (f.path === undefined || f.path.test(rec.path)));
      if (fault) {
        fault.left--;
        fault.before?.();
        if (fault.hang) return;
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.status !== undefined) {
          const retry = fault.retryAfterSeconds;
          const reason = REASONS[fault.status] ?? 'Unknown';
          const message = fault.status === 429 ? 'Too many requests, please try again later.'
            : fault.status >= 500 ? 'Internal error occurred: injected fault' : `injected ${reason}`;
          const err = new ApiStatusError(fault.status, reason, message, retry !== undefined ? { retryAfterSeconds: retry } : undefined);
          send(fault.status, err.body(), retry !== undefined ? { 'retry-after': String(retry) } : {});
          return;
        }
      }
      if (rec.authorization !== `Bearer ${this.token}`) throw new ApiStatusError(401, 'Unauthorized', 'Unauthorized');
      const body = rec.body === undefined ? undefined : typeof rec.body === 'string' ? undefined : (rec.body as Json);
      if (typeof rec.body === 'string') throw badRequest(`couldn't get version/kind; json parse error: ${rec.body.slice(0, 40)}`);
      const result = this.route(rec, body);
      send(result.status, result.body);
    } catch (err) {
      const e = err instanceof ApiStatusError ? err : new ApiStatusError(500, 'InternalError', `Internal error occurred: ${String(err)}`);
      send(e.code, e.body());
    }
  }

  private route(rec: RecordedRequest, body: Json | undefined): { status: number; body: unknown } {
    const { method, path } = rec;
    let m: RegExpExecArray | null;
    if ((m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(path))) {
      const [, ns, name, scale] = m as unknown as [string, string, string, string | undefined];
      const d = this.store.deployment(ns, name);
      if (method === 'GET') return { status: 200, body: scale ? this.store.scaleJson(d) : this.store.deploymentJson(d) };
      if (!scale) throw methodNotAllowed();
      if (method === 'PUT') return { status: 200, body: this.putScale(rec, d, body) };
      if (method === 'PATCH') {
        const next = applyPatch(rec.contentType, this.store.scaleJson(d), body);
        return { status: 200, body: this.writeScale(d, next) };
      }
      throw methodNotAllowed();
    }
    if ((m = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+))?$/.exec(path))) {
      const [, ns, name] = m as unknown as [string, string, string | undefined];
      if (name === undefined && method === 'GET') {
        const reqs = parseLabelSelector(rec.query.labelSelector ?? '');
        const items = this.store.podsIn(ns).filter(({ p }) => matchesSelector(reqs, p.labels)).map(({ d, p }) => this.store.podJson(d, p));
        return { status: 200, body: { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: this.store.nextRv() }, items } };
      }
      const hit = this.store.podsIn(ns).find(({ p }) => p.name === name);
      if (!hit || name === undefined) throw notFound('', 'pods', name ?? '');
      if (method === 'GET') return { status: 200, body: this.store.podJson(hit.d, hit.p) };
      if (method === 'PATCH') {
        const next = applyPatch(rec.contentType, this.store.podJson(hit.d, hit.p), body);
        const ann = (next as { metadata?: { annotations?: Record<string, Json> } }).metadata?.annotations ?? {};
        for (const [k, v] of Object.entries(ann)) {
          if (typeof v !== 'string') throw invalid('Pod', name, `metadata.annotations[${k}]`, v, 'must be a string');
          if (k === 'controller.kubernetes.io/pod-deletion-cost' && !/^-?\d+$/.test(v)) {
            throw invalid('Pod', name, "metadata.annotations['controller.kubernetes.io/pod-deletion-cost']", v, 'must be a 32bit integer');
          }
        }
        hit.p.annotations = Object.fromEntries(Object.entries(ann).map(([k, v]) => [k, String(v)]));
        hit.p.resourceVersion = this.store.nextRv();
        return { status: 200, body: this.store.podJson(hit.d, hit.p) };
      }
      throw methodNotAllowed();
    }
    if ((m = /^\/apis\/autoscaling\/v2\/namespaces\/([^/]+)\/horizontalpodautoscalers$/.exec(path)) && method === 'GET') {
      const ns = m[1];
      const items = this.store.hpas.filter((h) => h.namespace === ns).map((h) => ({
        apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: h.name, namespace: h.namespace },
        spec: { scaleTargetRef: h.target, minReplicas: 1, maxReplicas: 10 },
      }));
      return { status: 200, body: { kind: 'HorizontalPodAutoscalerList', apiVersion: 'autoscaling/v2', metadata: { resourceVersion: this.store.nextRv() }, items } };
    }
    if ((m = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/.exec(path))) {
      return this.leases(rec, m[1] as string, m[2], body);
    }
    throw new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  private putScale(rec: RecordedRequest, d: ReturnType<StandInStore['deployment']>, body: Json | undefined): JsonObject {
    const b = asObject(body, 'Scale');
    if (b.kind !== 'Scale' || b.apiVersion !== 'autoscaling/v1') throw badRequest(`Scale in version "v1" cannot be handled: expected kind Scale, apiVersion autoscaling/v1; got ${String(b.kind)} ${String(b.apiVersion)}`);
    const meta = asObject(b.metadata ?? {}, 'metadata');
    if (meta.name !== d.name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${d.name})`);
    if (meta.resourceVersion !== undefined && meta.resourceVersion !== d.resourceVersion) throw conflict('apps', 'deployments', d.name);
    void rec;
    return this.writeScale(d, b);
  }

  private writeScale(d: ReturnType<StandInStore['deployment']>, next: Json): JsonObject {
    const replicas = (next as { spec?: { replicas?: Json } }).spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas)) throw badRequest(`json: cannot unmarshal ${JSON.stringify(replicas)} into Go struct field ScaleSpec.spec.replicas of type int32`);
    if (replicas < 0) throw invalid('Scale.autoscaling', d.name, 'spec.replicas', replicas, 'must be greater than or equal to 0');
    this.store.setReplicas(d, replicas);
    return this.store.scaleJson(d);
  }

  private leases(rec: RecordedRequest, ns: string, name: string | undefined, body: Json | undefined): { status: number; body: unknown } {
    const { method } = rec;
    const key = name === undefined ? '' : this.store.key(ns, name);
    if (method === 'GET' && name !== undefined) {
      const l = this.store.leases.get(key);
      if (!l) throw notFound('coordination.k8s.io', 'leases', name);
      return { status: 200, body: this.store.leaseJson(l) };
    }
    if (method === 'DELETE' && name !== undefined) {
      if (!this.store.leases.delete(key)) throw notFound('coordination.k8s.io', 'leases', name);
      return { status: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } };
    }
    const b = asObject(body, 'Lease');
    if (b.kind !== undefined && b.kind !== 'Lease') throw badRequest(`Lease in version "v1" cannot be handled as a Lease: kind ${String(b.kind)}`);
    const meta = asObject(b.metadata ?? {}, 'metadata');
    const spec = checkLeaseSpec(asObject(b.spec ?? {}, 'spec'), String(meta.name));
    if (method === 'POST' && name === undefined) {
      if (typeof meta.name !== 'string' || meta.name === '') throw invalid('Lease.coordination.k8s.io', '', 'metadata.name', '', 'name or generateName is required');
      const k = this.store.key(ns, meta.name);
      if (this.store.leases.has(k)) {
        throw new ApiStatusError(409, 'AlreadyExists', `leases.coordination.k8s.io "${meta.name}" already exists`, { name: meta.name, group: 'coordination.k8s.io', kind: 'leases' });
      }
      const l = { namespace: ns, name: meta.name, uid: uid(), resourceVersion: this.store.nextRv(), createdAt: this.clockMs, spec };
      this.store.leases.set(k, l);
      return { status: 201, body: this.store.leaseJson(l) };
    }
    if (method === 'PUT' && name !== undefined) {
      const l = this.store.leases.get(key);
      if (!l) throw notFound('coordination.k8s.io', 'leases', name);
      if (meta.name !== name) throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
      if (meta.resourceVersion !== undefined && meta.resourceVersion !== l.resourceVersion) throw conflict('coordination.k8s.io', 'leases', name);
      l.spec = spec;
      l.resourceVersion = this.store.nextRv();
      return { status: 200, body: this.store.leaseJson(l) };
    }
    throw methodNotAllowed();
  }
}

function checkLeaseSpec(spec: JsonObject, name: string): JsonObject {
  for (const f of ['acquireTime', 'renewTime'] as const) {
    const v = spec[f];
    if (v !== undefined && v !== null && (typeof v !== 'string' || !MICRO_TIME.test(v))) {
      throw badRequest(`Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse as RFC3339Micro (spec.${f})`);
    }
  }
  const dur = spec.leaseDurationSeconds;
  if (dur !== undefined && dur !== null && (typeof dur !== 'number' || !Number.isInteger(dur) || dur <= 0)) {
    throw invalid('Lease.coordination.k8s.io', name, 'spec.leaseDurationSeconds', dur, 'must be greater than 0');
  }
  const tr = spec.leaseTransitions;
  if (tr !== undefined && tr !== null && (typeof tr !== 'number' || !Number.isInteger(tr) || tr < 0)) {
    throw invalid('Lease.coordination.k8s.io', name, 'spec.leaseTransitions', tr, 'must be greater than or equal to 0');
  }
  return spec;
}

function applyPatch(contentType: string | undefined, current: JsonObject, patch: Json | undefined): Json {
  const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
  if (!PATCH_TYPES.includes(type)) {
    throw new ApiStatusError(415, 'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}, application/apply-patch+yaml`);
  }
  if (patch === undefined) throw badRequest('the body of the request was empty');
  // Strategic merge equals a JSON merge patch for maps and scalars (the only fields patched here).
  return type === 'application/json-patch+json' ? jsonPatch(current, patch) : mergePatch(current, patch);
}

function asObject(v: Json | undefined, what: string): JsonObject {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${what}: the body must be a JSON object`);
  return v;
}

function methodNotAllowed(): ApiStatusError {
  return new ApiStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
