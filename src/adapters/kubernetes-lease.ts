/**
 * Leader election with a `coordination.k8s.io/v1` Lease, the Kubernetes convention, following
 * client-go's leaderelection package: lease 15 s, renew deadline 10 s, retry period 2 s; a lease
 * is taken over only when its record has not changed for a whole lease duration *as observed by
 * this replica's own clock* (no trust in other replicas' clocks); every write is a read-modify-
 * write on the Lease's resourceVersion, so two candidates never both win (409 Conflict).
 * The fencing token is `spec.leaseTransitions`, which grows with every change of holder.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { V1MicroTime, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';
import type { LeaderElector, Leadership, Logger } from '../control/ports.js';
import { silentLogger } from '../control/ports.js';
import { kubeError, type KubeClients } from './kubernetes-api.js';
import type { FenceCheck } from './kubernetes-actuator.js';
import { DEFAULT_LEASE_NAME, FIELD_MANAGER, LEASE_DEFAULTS } from './kubernetes-names.js';

export { DEFAULT_LEASE_NAME, LEASE_DEFAULTS };

export interface KubernetesLeaseOptions {
  clients: KubeClients;
  namespace: string;
  /** Lease object name. Default `bountybot-controller`. */
  name?: string;
  /** This replica's identity. Default: pod name (hostname) plus a random suffix, new on every start. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  /** How often the driver should call `tick` (client-go's retryPeriod). */
  retryPeriodMs?: number;
  logger?: Logger;
  /** Local clock, for `verify` (ticks bring their own time). */
  now?: () => number;
}

interface Observed {
  resourceVersion: string;
  holder: string;
  durationMs: number;
  transitions: number;
  /** Local time at which this record was first seen. */
  at: number;
}

export class KubernetesLeaseElector implements LeaderElector {
  readonly identity: string;
  readonly name: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private observed: Observed | undefined;
  private leading = false;
  private token: number | undefined;
  private lastRenewAt = 0;

  constructor(private readonly o: KubernetesLeaseOptions) {
    this.identity = o.identity ?? `${hostname()}_${randomBytes(3).toString('hex')}`;
    this.name = o.name ?? DEFAULT_LEASE_NAME;
    this.leaseDurationMs = o.leaseDurationMs ?? LEASE_DEFAULTS.leaseDurationMs;
    this.renewDeadlineMs = o.renewDeadlineMs ?? LEASE_DEFAULTS.renewDeadlineMs;
    this.retryPeriodMs = o.retryPeriodMs ?? LEASE_DEFAULTS.retryPeriodMs;
    if (!(this.leaseDurationMs > this.renewDeadlineMs && this.renewDeadlineMs > this.retryPeriodMs && this.retryPeriodMs > 0)) {
      throw new RangeError(`lease timings must satisfy leaseDuration > renewDeadline > retryPeriod > 0; got ${this.leaseDurationMs} / ${this.renewDeadlineMs} / ${this.retryPeriodMs} ms`);
    }
    this.logger = o.logger ?? silentLogger;
    this.now = o.now ?? Date.now;
  }

  async tick(nowMs: number): Promise<Leadership> {
    let won = false;
    try {
      won = await this.tryAcquireOrRenew(nowMs);
    } catch (err) {
      this.logger.warn({ err: kubeError(err, `lease ${this.name}`).message }, 'lease acquire/renew failed');
    }
    if (won) {
      if (!this.leading) this.logger.info({ lease: this.name, identity: this.identity, token: this.token }, 'became leader');
      this.leading = true;
      this.lastRenewAt = nowMs;
    } else if (this.leading && (this.stolen() || nowMs - this.lastRenewAt >= this.renewDeadlineMs)) {
      this.stepDown(this.stolen() ? `lease taken by ${this.observed?.holder}` : `could not renew within ${this.renewDeadlineMs} ms`);
    }
    return this.current();
  }

  current(): Leadership {
    const holder = this.leading ? this.identity : this.observed?.holder || undefined;
    const expiresAt = this.leading ? this.lastRenewAt + this.leaseDurationMs
      : this.observed && this.observed.holder !== '' ? this.observed.at + this.observed.durationMs : undefined;
    return {
      leader: this.leading, identity: this.identity,
      ...(holder !== undefined ? { holder } : {}),
      ...(this.leading && this.token !== undefined ? { token: this.token } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  }

  /**
   * The check made right before every scale call: reads the Lease again and confirms this replica
   * still holds it with the same token and within its renew deadline. Any doubt is "no" (and
   * a lease held by someone else ends our leadership at once).
   */
  async verify(): Promise<FenceCheck> {
    if (!this.leading) return { ok: false, reason: `not the leader (holder: ${this.observed?.holder || 'none'})` };
    const now = this.now();
    if (now - this.lastRenewAt >= this.renewDeadlineMs) {
      this.stepDown(`last renewal ${now - this.lastRenewAt} ms ago, past the ${this.renewDeadlineMs} ms renew deadline`);
      return { ok: false, reason: 'lease not renewed within the renew deadline' };
    }
    let lease: V1Lease;
    try {
      lease = await this.read();
    } catch (err) {
      return { ok: false, reason: `cannot confirm the lease: ${kubeError(err, `GET lease ${this.name}`).message}` };
    }
    const holder = lease.spec?.holderIdentity ?? '';
    const transitions = lease.spec?.leaseTransitions ?? 0;
    if (holder !== this.identity || transitions !== this.token) {
      this.note(lease, now);
      this.stepDown(`lease now held by ${holder || 'nobody'} (token ${transitions}, ours ${String(this.token)})`);
      return { ok: false, reason: `lease ${this.name} is held by ${holder || 'nobody'}` };
    }
    return { ok: true };
  }

  /** The LeaderElector fencing check: true only while this replica holds the Lease with `token`. */
  async fence(token: number): Promise<boolean> {
    return token === this.token && (await this.verify()).ok;
  }

  /** Gives the lease up so a standby takes over at once (client-go's ReleaseOnCancel). */
  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    try {
      const lease = await this.read();
      if (lease.spec?.holderIdentity !== this.identity) return;
      const now = new V1MicroTime(this.now());
      await this.write(lease, {
        holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0,
      });
      this.logger.info({ lease: this.name }, 'released the lease');
    } catch (err) {
      this.logger.warn({ err: kubeError(err, `release lease ${this.name}`).message }, 'could not release the lease; it expires by itself');
    }
  }

  private async tryAcquireOrRenew(nowMs: number): Promise<boolean> {
    let lease: V1Lease;
    try {
      lease = await this.read();
    } catch (err) {
      if (kubeError(err, 'GET lease').status !== 404) throw err;
      return this.create(nowMs);
    }
    this.note(lease, nowMs);
    const obs = this.observed as Observed;
    if (obs.holder !== '' && obs.holder !== this.identity && obs.at + obs.durationMs > nowMs) return false;
    const spec = lease.spec ?? {};
    const mine = obs.holder === this.identity;
    const transitions = mine ? obs.transitions : obs.transitions + 1;
    const now = new V1MicroTime(nowMs);
    try {
      const written = await this.write(lease, {
        holderIdentity: this.identity, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000),
        acquireTime: mine && spec.acquireTime ? microTime(spec.acquireTime) : now, renewTime: now, leaseTransitions: transitions,
      });
      this.note(written, nowMs);
    } catch (err) {
      if (kubeError(err, 'PUT lease').status === 409) return false; // another candidate wrote first
      throw err;
    }
    this.token = transitions;
    return true;
  }

  private async create(nowMs: number): Promise<boolean> {
    const now = new V1MicroTime(nowMs);
    try {
      const created = await this.o.clients.coordination.createNamespacedLease({
        namespace: this.o.namespace, fieldManager: FIELD_MANAGER,
        body: {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.o.namespace },
          spec: { holderIdentity: this.identity, leaseDurationSeconds: Math.ceil(this.leaseDurationMs / 1000), acquireTime: now, renewTime: now, leaseTransitions: 0 },
        },
      });
      this.note(created, nowMs);
    } catch (err) {
      if (kubeError(err, 'POST lease').status === 409) return false;
      throw err;
    }
    this.token = 0;
    return true;
  }

  private read(): Promise<V1Lease> {
    return this.o.clients.coordination.readNamespacedLease({ name: this.name, namespace: this.o.namespace });
  }

  private write(lease: V1Lease, spec: V1LeaseSpec): Promise<V1Lease> {
    return this.o.clients.coordination.replaceNamespacedLease({
      name: this.name, namespace: this.o.namespace, fieldManager: FIELD_MANAGER,
      body: {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
        metadata: { name: this.name, namespace: this.o.namespace, resourceVersion: lease.metadata?.resourceVersion ?? '' },
        spec,
      },
    });
  }

  /** Records the Lease as seen now; the observation time only moves when the record changes. */
  private note(lease: V1Lease, nowMs: number): void {
    const rv = lease.metadata?.resourceVersion ?? '';
    if (this.observed?.resourceVersion === rv) return;
    this.observed = {
      resourceVersion: rv, holder: lease.spec?.holderIdentity ?? '', transitions: lease.spec?.leaseTransitions ?? 0,
      durationMs: (lease.spec?.leaseDurationSeconds ?? Math.ceil(this.leaseDurationMs / 1000)) * 1000, at: nowMs,
    };
  }

  private stolen(): boolean {
    return this.observed !== undefined && this.observed.holder !== '' && this.observed.holder !== this.identity;
  }

  private stepDown(why: string): void {
    if (!this.leading) return;
    this.leading = false;
    this.token = undefined;
    this.logger.warn({ lease: this.name, identity: this.identity, why }, 'lost leadership: no longer acting');
  }
}

/** The client hands MicroTime fields back as the wire string (it has no deserializer for them). */
function microTime(v: unknown): V1MicroTime {
  const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
  return new V1MicroTime(Number.isFinite(ms) ? ms : Date.now());
}
