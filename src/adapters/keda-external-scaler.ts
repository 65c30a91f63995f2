/**
 * KEDA external scaler: a gRPC server implementing KEDA's `externalscaler.ExternalScaler`
 * (proto/externalscaler.proto) that hands KEDA the controller's own target, predictive and
 * budget-aware. The metric is the desired worker count with a target of 1 per pod, so the HPA
 * that KEDA creates computes ceil(desired / 1) = desired. `IsActive` is true while workers are
 * wanted or jobs are queued: KEDA scales from zero on it, ahead of load when the forecast asks.
 * Only the leader answers; a standby, or a target older than `staleAfterMs`, answers UNAVAILABLE,
 * so KEDA keeps the current replicas (or applies the ScaledObject's `fallback`).
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { UsageError } from '../autoscaling/errors.js';
import { silentLogger, type Logger } from '../control/ports.js';

import { DEFAULT_KEDA_PORT, KEDA_METRIC_NAME } from './kubernetes-names.js';

export { DEFAULT_KEDA_PORT, KEDA_METRIC_NAME };
export const EXTERNAL_SCALER_PROTO = fileURLToPath(new URL('../../proto/externalscaler.proto', import.meta.url));

/** What the controller publishes after each evaluation. */
export interface KedaTarget {
  /** Workers the last decision asked for (after pause / override). */
  desiredWorkers: number;
  /** True while workers are wanted or validations wait or run (scale-from-zero activation). */
  active: boolean;
  reason?: string;
}

export interface KedaExternalScalerOptions {
  /** Default 0.0.0.0 (KEDA calls in over the pod network). */
  host?: string;
  /** Default 9090; 0 picks a free port. */
  port?: number;
  metricName?: string;
  /** Only the leader answers. Default: always. */
  leadership?: () => { leader: boolean; holder?: string };
  /** A target older than this is not handed out, ms. Default 60000. */
  staleAfterMs?: number;
  logger?: Logger;
  now?: () => number;
}

interface ScaledObjectRef { name: string; namespace: string; scalerMetadata: Record<string, string> }
interface GetMetricsRequest { scaledObjectRef?: ScaledObjectRef; metricName: string }
type Stream<T> = grpc.ServerWritableStream<ScaledObjectRef, T>;

export class KedaExternalScaler {
  private readonly o: Required<Omit<KedaExternalScalerOptions, 'leadership'>> & Pick<KedaExternalScalerOptions, 'leadership'>;
  private server: grpc.Server | undefined;
  private target: (KedaTarget & { at: number }) | undefined;
  private readonly activeStreams = new Set<Stream<{ result: boolean }>>();
  private readonly specStreams = new Set<Stream<unknown>>();
  private boundPort = 0;

  constructor(opts: KedaExternalScalerOptions = {}) {
    this.o = {
      host: '0.0.0.0', port: DEFAULT_KEDA_PORT, metricName: KEDA_METRIC_NAME, staleAfterMs: 60_000,
      logger: silentLogger, now: Date.now, ...opts,
    };
    if (!(Number.isInteger(this.o.port) && this.o.port >= 0 && this.o.port <= 65535)) {
      throw new RangeError(`keda port must be an integer in [0, 65535]; got ${String(this.o.port)}`);
    }
  }

  get port(): number {
    return this.boundPort;
  }

  /** Called by the controller after every evaluation; pushes IsActive to streams when it changes. */
  publish(target: KedaTarget): void {
    const desired = Math.max(0, Math.floor(Number.isFinite(target.desiredWorkers) ? target.desiredWorkers : 0));
    const changed = this.target?.active !== target.active;
    this.target = { ...target, desiredWorkers: desired, at: this.o.now() };
    if (changed) for (const s of this.activeStreams) s.write({ result: target.active });
  }

  async start(): Promise<number> {
    const def = protoLoader.loadSync(EXTERNAL_SCALER_PROTO, { keepCase: true, longs: Number, defaults: true, enums: String });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { externalscaler: { ExternalScaler: grpc.ServiceClientConstructor } };
    const server = new grpc.Server();
    server.addService(pkg.externalscaler.ExternalScaler.service, {
      IsActive: (_call: grpc.ServerUnaryCall<ScaledObjectRef, unknown>, cb: grpc.sendUnaryData<unknown>) => this.unary(cb, () => ({ result: this.current().active })),
      GetMetricSpec: (_call: grpc.ServerUnaryCall<ScaledObjectRef, unknown>, cb: grpc.sendUnaryData<unknown>) => this.unary(cb, () => this.spec()),
      GetMetrics: (call: grpc.ServerUnaryCall<GetMetricsRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => this.unary(cb, () => this.metrics(call.request)),
      StreamIsActive: (call: Stream<{ result: boolean }>) => this.stream(call, this.activeStreams, () => ({ result: this.current().active })),
      StreamMetricSpec: (call: Stream<unknown>) => this.stream(call, this.specStreams, () => this.spec()),
    });
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${this.o.host}:${this.o.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => (err
        ? reject(new UsageError(`--keda-port ${this.o.port}: cannot listen on ${this.o.host}:${this.o.port} (${err.message})`, { cause: err }))
        : resolve(port)));
    });
    this.server = server;
    this.o.logger.info({ host: this.o.host, port: this.boundPort, metric: this.o.metricName }, 'KEDA external scaler listening');
    return this.boundPort;
  }

  async close(): Promise<void> {
    for (const s of [...this.activeStreams, ...this.specStreams]) s.end();
    this.activeStreams.clear();
    this.specStreams.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { server.forceShutdown(); resolve(); }, 2000);
      server.tryShutdown(() => { clearTimeout(timer); resolve(); });
    });
  }

  private spec(): unknown {
    return { metricSpecs: [{ metricName: this.o.metricName, targetSize: 1, targetSizeFloat: 1 }] };
  }

  private metrics(req: GetMetricsRequest): unknown {
    if (req.metricName !== this.o.metricName) {
      throw new ScalerCallError(grpc.status.NOT_FOUND, `unknown metric ${JSON.stringify(req.metricName)}; this scaler serves ${this.o.metricName}`);
    }
    const t = this.current();
    return { metricValues: [{ metricName: this.o.metricName, metricValue: t.desiredWorkers, metricValueFloat: t.desiredWorkers }] };
  }

  /** The target, if this replica may hand it out; throws ScalerCallError otherwise. */
  private current(): KedaTarget {
    const lead = this.o.leadership?.();
    if (lead && !lead.leader) throw new ScalerCallError(grpc.status.UNAVAILABLE, `not the leader${lead.holder ? ` (leader: ${lead.holder})` : ''}`);
    const t = this.target;
    if (!t) throw new ScalerCallError(grpc.status.UNAVAILABLE, 'no scaling decision yet');
    const age = this.o.now() - t.at;
    if (age > this.o.staleAfterMs) throw new ScalerCallError(grpc.status.UNAVAILABLE, `last decision is ${Math.round(age / 1000)} s old (metrics unavailable?)`);
    return t;
  }

  private unary(cb: grpc.sendUnaryData<unknown>, answer: () => unknown): void {
    try {
      cb(null, answer());
    } catch (err) {
      cb(toServiceError(err));
    }
  }

  private stream<T>(call: Stream<T>, set: Set<Stream<T>>, first: () => T): void {
    try {
      call.write(first());
    } catch (err) {
      call.emit('error', toServiceError(err));
      return;
    }
    set.add(call);
    const drop = (): void => { set.delete(call); };
    call.on('cancelled', drop);
    call.on('close', drop);
    call.on('error', drop);
  }
}

class ScalerCallError extends Error {
  constructor(readonly code: grpc.status, message: string) {
    super(message);
  }
}

function toServiceError(err: unknown): Partial<grpc.ServiceError> {
  if (err instanceof ScalerCallError) return { code: err.code, details: err.message, message: err.message };
  return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}
