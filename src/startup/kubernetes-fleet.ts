/**
 * `bountybot run --actuator kubernetes`: the Kubernetes adapters put together as the controller's
 * managed fleet. Every mode reads the fleet from the worker Deployment and holds a Lease (one
 * replica leads); the mode decides what the leader does with the loop's target:
 *  - direct: writes it to the Deployment's scale (idle pods first), re-checking the Lease first;
 *  - hpa:    nothing; /metrics exports it (desired_workers) beside the release notes' metrics;
 *  - keda:   hands it to KEDA through the external scaler.
 * Stopping the controller never touches the workers: a standby takes over the Lease.
 */
import type { FleetState } from '../control/interfaces.js';
import type { TickResult } from '../control/loop.js';
import type { Leadership, Logger, WorkerRegistry } from '../control/ports.js';
import type { ManagedPool } from '../runtime/controller.js';
import { KedaExternalScaler } from '../adapters/keda-external-scaler.js';
import { KubernetesActuator, NotLeaderError } from '../adapters/kubernetes-actuator.js';
import { connectKubernetes, messageOf, type KubeClients } from '../adapters/kubernetes-api.js';
import { KubernetesLeaseElector } from '../adapters/kubernetes-lease.js';
import { DEFAULT_KEDA_PORT, type KubernetesMode } from '../adapters/kubernetes-names.js';

export interface KubernetesSettings {
  mode: KubernetesMode;
  /** Default: the kubeconfig context's or the service account's namespace, else `default`. */
  namespace?: string;
  deployment: string;
  kubeconfig?: string;
  /** gRPC port of the KEDA external scaler (keda mode). Default 9090. */
  kedaPort?: number;
  /** Default 0.0.0.0. */
  kedaHost?: string;
  /** Lease name. Default bountybot-controller. */
  leaseName?: string;
  /** This replica's Lease identity. Default: $POD_NAME or the host name, plus a random suffix. */
  identity?: string;
  requestTimeoutMs?: number;
}

export interface KubernetesFleetDeps {
  maxWorkers: number;
  /** Busy/idle reports of the workers, for idle-pods-first. */
  registry?: WorkerRegistry;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Evaluation interval, ms: KEDA is refused a target older than 4 intervals. */
  intervalMs: number;
  /** Injected API clients (tests); default: connect from `kubeconfig` or the service account. */
  clients?: KubeClients;
}

export class KubernetesFleet implements ManagedPool {
  readonly mode: KubernetesMode;
  readonly namespace: string;
  readonly elector: KubernetesLeaseElector;
  readonly actuator: KubernetesActuator;
  readonly keda: KedaExternalScaler | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<unknown> | undefined;
  private closed = false;
  /** keda: the last target handed to KEDA, i.e. the workers requested (as spec.replicas is in direct mode). */
  private requested: number | undefined;

  constructor(s: KubernetesSettings, private readonly d: KubernetesFleetDeps) {
    const env = d.env ?? process.env;
    const clients = d.clients ?? connectKubernetes({
      ...(s.kubeconfig !== undefined ? { kubeconfig: s.kubeconfig } : {}),
      ...(s.requestTimeoutMs !== undefined ? { requestTimeoutMs: s.requestTimeoutMs } : {}), env,
    });
    this.mode = s.mode;
    this.namespace = s.namespace ?? clients.defaultNamespace ?? 'default';
    const podName = env.POD_NAME;
    this.elector = new KubernetesLeaseElector({
      clients, namespace: this.namespace, logger: d.logger,
      ...(s.leaseName !== undefined ? { name: s.leaseName } : {}),
      ...(s.identity !== undefined ? { identity: s.identity } : podName ? { identity: `${podName}_${process.pid}` } : {}),
    });
    this.actuator = new KubernetesActuator({
      clients, namespace: this.namespace, deployment: s.deployment, mode: s.mode, maxWorkers: d.maxWorkers, logger: d.logger,
      fence: () => this.elector.verify(), ...(d.registry ? { registry: d.registry } : {}),
    });
    this.keda = s.mode === 'keda'
      ? new KedaExternalScaler({
        host: s.kedaHost ?? '0.0.0.0', port: s.kedaPort ?? DEFAULT_KEDA_PORT, logger: d.logger,
        staleAfterMs: Math.max(60_000, 4 * d.intervalMs), leadership: () => this.elector.current(),
      })
      : undefined;
    d.logger.info({ server: clients.server, source: clients.source, namespace: this.namespace, deployment: s.deployment, mode: s.mode },
      'Kubernetes fleet');
  }

  /** Takes part in the Lease, checks the Deployment (and, in direct mode, that no HPA owns it), opens the KEDA port. */
  async start(): Promise<{ adopted: string[]; gone: string[] }> {
    await this.tickLease();
    await this.actuator.start();
    await this.keda?.start();
    this.timer = setInterval(() => { void this.tickLease(); }, this.elector.retryPeriodMs);
    return { adopted: [], gone: [] };
  }

  leadership(): Leadership {
    return this.elector.current();
  }

  /**
   * The Deployment's fleet. In keda mode `provisioned` is the target last handed to KEDA: it is
   * the request, as spec.replicas is in direct mode, and KEDA's HPA needs up to a minute to
   * follow; reporting the Deployment's count instead would make a cooldown hold the old size
   * and take the request back before KEDA acted on it.
   */
  async fleet(): Promise<FleetState> {
    const f = await this.actuator.fleet();
    if (this.requested === undefined) return f;
    return { provisioned: this.requested, ready: Math.min(f.ready, this.requested), draining: f.draining };
  }

  async scaleTo(target: number, reasoning: readonly string[]): Promise<FleetState> {
    if (this.mode === 'keda') {
      this.requested = Math.max(0, Math.min(this.d.maxWorkers, Math.floor(Number.isFinite(target) ? target : 0)));
      return this.fleet(); // handed to KEDA in onTick
    }
    if (this.mode === 'hpa') return this.fleet(); // the HPA scales on /metrics
    const lead = this.elector.current();
    if (!lead.leader) {
      this.d.logger.info({ target, leader: lead.holder }, 'standby: the leader acts, not this replica');
      return this.fleet();
    }
    try {
      return await this.actuator.scaleTo(target, reasoning);
    } catch (err) {
      if (!(err instanceof NotLeaderError)) throw err;
      this.d.logger.warn({ err: err.message }, 'lost the Lease just before scaling: not acting');
      return this.fleet();
    }
  }

  /** After every evaluation: in keda mode, publishes the target (or lets it go stale after a failed tick). */
  onTick(result: TickResult, desiredWorkers: number): void {
    if (!this.keda || result.error !== undefined) return;
    const obs = result.observation;
    const queued = (obs?.queueDepth ?? 0) + (obs?.inFlight ?? 0);
    this.keda.publish({ desiredWorkers, active: desiredWorkers > 0 || queued > 0, reason: result.decision?.reasoning[0] ?? '' });
  }

  /** Controller shutdown: gives up the Lease and closes the KEDA port; the workers keep running. */
  async stopAll(): Promise<void> {
    this.stopTimer();
    await this.ticking?.catch(() => undefined);
    await this.elector.release();
    await this.keda?.close();
  }

  close(): void {
    this.closed = true;
    this.stopTimer();
    void this.keda?.close();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tickLease(): Promise<unknown> {
    if (this.closed) return Promise.resolve();
    this.ticking ??= this.elector.tick(Date.now())
      .catch((err: unknown) => this.d.logger.warn({ err: messageOf(err) }, 'lease tick failed'))
      .finally(() => { this.ticking = undefined; });
    return this.ticking;
  }
}
