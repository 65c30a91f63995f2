/**
 * The KEDA external scaler: its .proto checked field by field against KEDA's published one (a
 * verbatim copy in test/fixtures/keda-externalscaler.proto, source in test/fixtures/README.md),
 * and the server called by a real gRPC client generated from KEDA's proto, as KEDA calls it.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXTERNAL_SCALER_PROTO, KEDA_METRIC_NAME, KedaExternalScaler, type KedaExternalScalerOptions } from '../src/adapters/keda-external-scaler.js';

const UPSTREAM_PROTO = new URL('./fixtures/keda-externalscaler.proto', import.meta.url).pathname;

interface Shape {
  services: Record<string, Record<string, { requestType: string; responseType: string; requestStream: boolean; responseStream: boolean }>>;
  messages: Record<string, Record<string, { id: number; type: string; rule: string; keyType: string }>>;
}

function shapeOf(file: string): { pkg: string[]; shape: Shape } {
  const root = protobuf.loadSync(file);
  const shape: Shape = { services: {}, messages: {} };
  const pkg: string[] = [];
  const walk = (ns: protobuf.NamespaceBase, prefix: string): void => {
    for (const obj of ns.nestedArray) {
      const name = `${prefix}${obj.name}`;
      if (obj instanceof protobuf.Service) {
        shape.services[name] = Object.fromEntries(obj.methodsArray.map((m) => [m.name, {
          requestType: m.requestType, responseType: m.responseType, requestStream: m.requestStream === true, responseStream: m.responseStream === true,
        }]));
      } else if (obj instanceof protobuf.Type) {
        shape.messages[name] = Object.fromEntries(obj.fieldsArray.map((f) => [f.name, {
          id: f.id, type: f.type, rule: f.repeated ? 'repeated' : 'single', keyType: f instanceof protobuf.MapField ? f.keyType : '',
        }]));
      } else if (obj instanceof protobuf.Namespace) {
        pkg.push(name);
        walk(obj, `${name}.`);
      }
    }
  };
  walk(root, '');
  return { pkg, shape };
}

describe('proto/externalscaler.proto vs KEDA\'s published externalscaler.proto', () => {
  const ours = shapeOf(EXTERNAL_SCALER_PROTO);
  const theirs = shapeOf(UPSTREAM_PROTO);

  it('has the same package', () => {
    expect(ours.pkg).toEqual(['externalscaler']);
    expect(ours.pkg).toEqual(theirs.pkg);
  });

  it('has the same service, methods, request/response types and streaming', () => {
    expect(Object.keys(theirs.shape.services)).toEqual(['externalscaler.ExternalScaler']);
    expect(ours.shape.services).toEqual(theirs.shape.services);
  });

  const messages = Object.keys(theirs.shape.messages);
  it('has the same messages', () => {
    expect(Object.keys(ours.shape.messages).sort()).toEqual([...messages].sort());
  });

  it.each(messages)('message %s: same field names, numbers, types and labels', (name) => {
    expect(ours.shape.messages[name]).toEqual(theirs.shape.messages[name]);
  });

  it('the fixture is the published file (its size and go_package line)', () => {
    const text = readFileSync(UPSTREAM_PROTO, 'utf8');
    expect(text.length).toBe(2079);
    expect(text).toContain('option go_package = ".;externalscaler";');
  });
});

type Unary = (req: unknown, cb: (err: grpc.ServiceError | null, res?: unknown) => void) => void;
interface KedaClient extends grpc.Client {
  IsActive: Unary;
  GetMetricSpec: Unary;
  GetMetrics: Unary;
  StreamIsActive: (req: unknown) => grpc.ClientReadableStream<{ result: boolean }>;
  StreamMetricSpec: (req: unknown) => grpc.ClientReadableStream<unknown>;
}

/** A client generated from KEDA's own proto, as KEDA's operator builds one. */
function kedaClient(port: number): KedaClient {
  const def = protoLoader.loadSync(UPSTREAM_PROTO, { keepCase: true, longs: Number, defaults: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { externalscaler: { ExternalScaler: new (addr: string, creds: grpc.ChannelCredentials) => KedaClient } };
  return new pkg.externalscaler.ExternalScaler(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

const call = (c: KedaClient, method: 'IsActive' | 'GetMetricSpec' | 'GetMetrics', req: unknown): Promise<unknown> =>
  new Promise((resolve, reject) => c[method](req, (err, res) => (err ? reject(err) : resolve(res))));

const REF = { name: 'bountybot-worker', namespace: 'work', scalerMetadata: { scalerAddress: 'bountybot-controller:9090' } };

describe('KEDA external scaler over gRPC', () => {
  let scaler: KedaExternalScaler;
  let client: KedaClient;
  let now: number;
  let leader: { leader: boolean; holder?: string };

  const start = async (o: KedaExternalScalerOptions = {}): Promise<void> => {
    scaler = new KedaExternalScaler({ host: '127.0.0.1', port: 0, now: () => now, leadership: () => leader, ...o });
    client = kedaClient(await scaler.start());
  };

  beforeEach(() => {
    now = Date.parse('2026-01-05T09:00:00Z');
    leader = { leader: true };
  });

  afterEach(async () => {
    client?.close();
    await scaler?.close();
  });

  it('serves the desired worker count with a target of 1, so KEDA\'s HPA sizes to exactly it', async () => {
    await start();
    scaler.publish({ desiredWorkers: 7, active: true });
    const spec = await call(client, 'GetMetricSpec', REF) as { metricSpecs: Array<{ metricName: string; targetSize: number; targetSizeFloat: number }> };
    expect(spec).toEqual({ metricSpecs: [{ metricName: KEDA_METRIC_NAME, targetSize: 1, targetSizeFloat: 1 }] });
    const metrics = await call(client, 'GetMetrics', { scaledObjectRef: REF, metricName: KEDA_METRIC_NAME }) as { metricValues: Array<{ metricName: string; metricValue: number; metricValueFloat: number }> };
    expect(metrics).toEqual({ metricValues: [{ metricName: KEDA_METRIC_NAME, metricValue: 7, metricValueFloat: 7 }] });
    // The HPA's AverageValue rule: desired = ceil(value / target).
    const v = metrics.metricValues[0];
    const s = spec.metricSpecs[0];
    expect(Math.ceil((v?.metricValueFloat ?? 0) / (s?.targetSizeFloat ?? 1))).toBe(7);
    expect(await call(client, 'IsActive', REF)).toEqual({ result: true });
  });

  it.each([
    ['idle and nothing forecast: KEDA may scale to zero', { desiredWorkers: 0, active: false }, false],
    ['forecast wants workers before jobs arrive: activates from zero', { desiredWorkers: 2, active: true }, true],
    ['jobs queued even though the target is 0: stays active', { desiredWorkers: 0, active: true }, true],
  ])('IsActive when %s', async (_name, target, expected) => {
    await start();
    scaler.publish(target);
    expect(await call(client, 'IsActive', REF)).toEqual({ result: expected });
  });

  it('answers NOT_FOUND for a metric it does not serve', async () => {
    await start();
    scaler.publish({ desiredWorkers: 1, active: true });
    await expect(call(client, 'GetMetrics', { scaledObjectRef: REF, metricName: 's0-other' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it.each([
    ['before the first decision', (): void => {}, /no scaling decision yet/],
    ['on a standby', (): void => { scaler.publish({ desiredWorkers: 3, active: true }); leader = { leader: false, holder: 'pod-a' }; }, /not the leader \(leader: pod-a\)/],
    ['when the last decision is stale', (): void => { scaler.publish({ desiredWorkers: 3, active: true }); now += 61_000; }, /last decision is 61 s old/],
  ])('answers UNAVAILABLE %s (KEDA keeps the replicas or applies its fallback)', async (_name, setup, message) => {
    await start();
    setup();
    for (const m of ['IsActive', 'GetMetrics'] as const) {
      const err = await call(client, m, { scaledObjectRef: REF, metricName: KEDA_METRIC_NAME, ...REF }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: grpc.status.UNAVAILABLE });
      expect((err as grpc.ServiceError).details).toMatch(message);
    }
  });

  it('StreamIsActive sends the current value at once, then only changes', async () => {
    await start();
    scaler.publish({ desiredWorkers: 0, active: false });
    const got: boolean[] = [];
    const stream = client.StreamIsActive(REF);
    stream.on('error', () => undefined); // our own cancel() below ends it with CANCELLED
    const waitFor = (n: number): Promise<void> => new Promise((resolve) => {
      const check = (): void => { if (got.length >= n) resolve(); };
      stream.on('data', (m: { result: boolean }) => { got.push(m.result); check(); });
      check();
    });
    await waitFor(1);
    scaler.publish({ desiredWorkers: 0, active: false }); // no change, no message
    scaler.publish({ desiredWorkers: 3, active: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([false, true]);
    stream.cancel();
  });

  it('StreamIsActive on a standby ends with UNAVAILABLE', async () => {
    await start();
    scaler.publish({ desiredWorkers: 1, active: true });
    leader = { leader: false, holder: 'pod-a' };
    const err = await new Promise((resolve) => client.StreamIsActive(REF).on('error', resolve));
    expect(err).toMatchObject({ code: grpc.status.UNAVAILABLE, details: 'not the leader (leader: pod-a)' });
  });

  it('StreamMetricSpec sends the spec as soon as it opens', async () => {
    await start();
    scaler.publish({ desiredWorkers: 1, active: true });
    const first = await new Promise((resolve) => client.StreamMetricSpec(REF).on('data', resolve));
    expect(first).toEqual({ metricSpecs: [{ metricName: KEDA_METRIC_NAME, targetSize: 1, targetSizeFloat: 1 }] });
  });

  it('names the port when it cannot listen', async () => {
    await start();
    scaler.publish({ desiredWorkers: 1, active: true });
    const second = new KedaExternalScaler({ host: '127.0.0.1', port: scaler.port });
    await expect(second.start()).rejects.toThrow(new RegExp(`--keda-port ${scaler.port}: cannot listen on 127.0.0.1:${scaler.port}`));
    await second.close();
  });

  it('rejects a port outside [0, 65535]', () => {
    expect(() => new KedaExternalScaler({ port: 70000 })).toThrow(/keda port must be an integer in \[0, 65535\]; got 70000/);
  });
});
