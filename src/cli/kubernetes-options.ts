/**
 * The `--actuator kubernetes` options of `bountybot run`: which Deployment, which namespace and
 * kubeconfig, which mode (direct / hpa / keda) and the KEDA port. Kubernetes flags without
 * `--actuator kubernetes` are an error rather than silently ignored.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../autoscaling/errors.js';
import { DEFAULT_KEDA_PORT, KUBERNETES_MODES, type KubernetesMode } from '../adapters/kubernetes-names.js';
import type { KubernetesSettings } from '../startup/kubernetes-fleet.js';
import { isPositiveInt, parseNumberOption } from './runtime-options.js';

export const ACTUATORS = ['process-pool', 'kubernetes'] as const;
export const DEFAULT_WORKER_DEPLOYMENT = 'bountybot-api';

export interface KubernetesCliOptions {
  actuator?: (typeof ACTUATORS)[number];
  namespace?: string;
  deployment?: string;
  kubeconfig?: string;
  mode?: KubernetesMode;
  kedaPort?: string;
}

export function addKubernetesOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--actuator <kind>', 'what scales the workers: local worker processes, or a Kubernetes Deployment').choices(ACTUATORS).default('process-pool'))
    .option('--namespace <ns>', 'kubernetes: namespace of the worker Deployment (default: the kubeconfig context\'s or the pod\'s, else "default")')
    .option('--deployment <name>', `kubernetes: the worker Deployment (default ${DEFAULT_WORKER_DEPLOYMENT})`)
    .option('--kubeconfig <file>', 'kubernetes: kubeconfig file (default: the pod\'s service account, else $KUBECONFIG or ~/.kube/config)')
    .addOption(new Option('--mode <mode>', 'kubernetes: direct = set replicas; hpa = only export metrics for the release notes\' HPA; keda = serve KEDA\'s external scaler (default direct)').choices(KUBERNETES_MODES))
    .option('--keda-port <port>', `kubernetes --mode keda: gRPC port of the external scaler (default ${DEFAULT_KEDA_PORT})`);
}

/** The Kubernetes settings, or undefined for the process pool; throws UsageError for flags that do not fit. */
export function kubernetesSettings(opts: KubernetesCliOptions): KubernetesSettings | undefined {
  const given = (['namespace', 'deployment', 'kubeconfig', 'mode', 'kedaPort'] as const).filter((k) => opts[k] !== undefined);
  if (opts.actuator !== 'kubernetes') {
    if (given.length > 0) throw new UsageError(`--${kebab(given[0] as string)} needs --actuator kubernetes`);
    return undefined;
  }
  const mode = opts.mode ?? 'direct';
  if (opts.kedaPort !== undefined && mode !== 'keda') throw new UsageError('--keda-port needs --mode keda');
  const kedaPort = parseNumberOption('--keda-port', opts.kedaPort, (v) => isPositiveInt(v) && v <= 65535, 'an integer in [1, 65535]');
  for (const [flag, v] of [['--namespace', opts.namespace], ['--deployment', opts.deployment]] as const) {
    if (v !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(v)) throw new UsageError(`${flag} must be a Kubernetes name (lower-case letters, digits, '-'); got ${JSON.stringify(v)}`);
  }
  return {
    mode, deployment: opts.deployment ?? DEFAULT_WORKER_DEPLOYMENT,
    ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
    ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
    ...(kedaPort !== undefined ? { kedaPort } : {}),
  };
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
