/**
 * Shared by the Kubernetes adapters (actuator, Lease elector): the connection (a kubeconfig file,
 * the pod's service account, or the default kubeconfig), a per-request timeout (the client has
 * none of its own), errors turned into one `KubernetesApiError` with the API's `Status` reason,
 * and retries with backoff on 409 / 429 (honouring Retry-After) / 5xx / timeouts.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  ApiException, AppsV1Api, AutoscalingV2Api, CoordinationV1Api, CoreV1Api, KubeConfig, Observable,
  ServerConfiguration, createConfiguration, type RequestContext, type ResponseContext,
} from '@kubernetes/client-node';
import { BountybotError, UsageError } from '../autoscaling/errors.js';

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

export interface KubeConnectionOptions {
  /** Path of a kubeconfig file. Default: in a pod, its service account; else $KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  /** Per-request timeout, ms. Default 5000. */
  requestTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface KubeClients {
  apps: AppsV1Api;
  core: CoreV1Api;
  coordination: CoordinationV1Api;
  autoscaling: AutoscalingV2Api;
  /** The API server's URL. */
  server: string;
  /** The namespace of the kubeconfig context or of the service account, when it names one. */
  defaultNamespace?: string;
  /** Where the configuration came from, for logs: 'kubeconfig FILE' or 'in-cluster service account'. */
  source: string;
}

export function connectKubernetes(opts: KubeConnectionOptions = {}): KubeClients {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  let source: string;
  let defaultNamespace: string | undefined;
  if (opts.kubeconfig !== undefined) {
    if (!existsSync(opts.kubeconfig)) throw new UsageError(`--kubeconfig: file not found: ${opts.kubeconfig}`);
    try {
      kc.loadFromFile(opts.kubeconfig);
    } catch (err) {
      throw new UsageError(`--kubeconfig ${opts.kubeconfig}: not a readable kubeconfig (${messageOf(err)})`, { cause: err });
    }
    source = `kubeconfig ${opts.kubeconfig}`;
    defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  } else if (env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
    source = 'in-cluster service account';
    if (existsSync(SA_NAMESPACE_FILE)) defaultNamespace = readFileSync(SA_NAMESPACE_FILE, 'utf8').trim();
  } else {
    try {
      kc.loadFromDefault();
    } catch (err) {
      throw new UsageError(`no usable Kubernetes configuration (${messageOf(err)}): pass --kubeconfig FILE or run in a pod`, { cause: err });
    }
    source = env.KUBECONFIG ? `kubeconfig ${env.KUBECONFIG}` : 'default kubeconfig';
    defaultNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UsageError(`no Kubernetes cluster configured (${source}): pass --kubeconfig FILE or run in a pod with a service account`);
  const timeoutMs = opts.requestTimeoutMs ?? 5_000;
  const config = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    middleware: [{
      pre: (ctx: RequestContext) => {
        ctx.setSignal(AbortSignal.timeout(timeoutMs));
        return new Observable(Promise.resolve(ctx));
      },
      post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
    }],
  });
  return {
    apps: new AppsV1Api(config), core: new CoreV1Api(config), coordination: new CoordinationV1Api(config),
    autoscaling: new AutoscalingV2Api(config), server: cluster.server, source,
    ...(defaultNamespace ? { defaultNamespace } : {}),
  };
}

/** A failed Kubernetes API call: the HTTP status and the `Status` reason, when the server answered. */
export class KubernetesApiError extends BountybotError {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
    readonly retryable: boolean,
    /** From the Retry-After header or `details.retryAfterSeconds`, ms. */
    readonly retryAfterMs: number | undefined,
    cause: unknown,
  ) {
    super('KUBERNETES_API', message, { cause });
  }
}

/** Turns whatever the client threw into a KubernetesApiError; `what` names the call ("PUT deployments/x/scale"). */
export function kubeError(err: unknown, what: string): KubernetesApiError {
  if (err instanceof KubernetesApiError) return err;
  if (err instanceof ApiException) {
    const code = err.code;
    const status = parseStatus(err.body);
    const headerRetry = Number(err.headers?.['retry-after']);
    const retryAfterS = Number.isFinite(headerRetry) && headerRetry >= 0 ? headerRetry : status.retryAfterSeconds;
    const retryable = code === 409 || code === 429 || code >= 500;
    const msg = `${what}: ${code}${status.reason ? ` ${status.reason}` : ''}${status.message ? `: ${status.message}` : ''}`;
    return new KubernetesApiError(msg, code, status.reason, retryable, retryAfterS !== undefined ? retryAfterS * 1000 : undefined, err);
  }
  const e = err as { name?: string; type?: string; code?: string; message?: string };
  const timedOut = e?.name === 'AbortError' || e?.type === 'aborted' || e?.name === 'TimeoutError';
  const msg = `${what}: ${timedOut ? 'request timed out' : `request failed (${e?.code ?? messageOf(err)})`}`;
  // Network failures and timeouts are worth retrying; a bug in our own code is not.
  const network = timedOut || e?.type === 'system' || e?.name === 'FetchError' || /^E[A-Z]+$/.test(e?.code ?? '');
  return new KubernetesApiError(msg, undefined, timedOut ? 'Timeout' : undefined, network, undefined, err);
}

function parseStatus(body: unknown): { reason?: string; message?: string; retryAfterSeconds?: number } {
  let b: unknown = body;
  if (typeof body === 'string') {
    try { b = JSON.parse(body); } catch { return { message: body.slice(0, 200) }; }
  }
  if (b === null || typeof b !== 'object') return {};
  const s = b as { reason?: unknown; message?: unknown; details?: { retryAfterSeconds?: unknown } };
  const retry = s.details?.retryAfterSeconds;
  return {
    ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
    ...(typeof s.message === 'string' ? { message: s.message } : {}),
    ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}),
  };
}

export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  attempts?: number;
  /** First backoff, ms; doubles each retry with ±20 % jitter. Default 250. */
  baseDelayMs?: number;
  /** Longest backoff between two attempts, ms. Default 4000. A longer Retry-After ends the retries. */
  maxDelayMs?: number;
  /** No retry starts after this long since the first attempt, ms (a tick must not stall). Default 12000. */
  budgetMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, retrying retryable failures with exponential backoff. A Retry-After
 * is honoured: the next attempt never comes sooner; when it asks for more than `maxDelayMs` the
 * call gives up at once (the caller holds the fleet as it is and tries again next tick).
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, opts: RetryOptions = {},
  onRetry?: (err: KubernetesApiError, delayMs: number, attempt: number) => void): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 4000;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (raw) {
      // Our own refusals (not the leader, a conflict found) are final, not API failures.
      if (raw instanceof BountybotError && !(raw instanceof KubernetesApiError)) throw raw;
      const err = kubeError(raw, what);
      if (!err.retryable || attempt >= attempts) throw err;
      const backoff = Math.min(max, base * 2 ** (attempt - 1)) * (0.8 + 0.4 * random());
      if (err.retryAfterMs !== undefined && err.retryAfterMs > max) {
        throw new KubernetesApiError(`${err.message} (server asks to retry after ${err.retryAfterMs / 1000} s; giving up this round)`,
          err.status, err.reason, true, err.retryAfterMs, err);
      }
      const delay = Math.round(Math.max(backoff, err.retryAfterMs ?? 0));
      if (now() - started + delay > (opts.budgetMs ?? 12_000)) throw err;
      onRetry?.(err, delay, attempt);
      await sleep(delay);
    }
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
