/**
 * The `--actuator kubernetes` options of `bountybot run`: which Deployment, which namespace and
 * kubeconfig, which mode (direct / hpa / keda) and the KEDA port. They override the config's
 * `kubernetes:` keys (src/config/kubernetes.ts, where the defaults are declared); a `kubernetes:`
 * section selects this actuator unless `--actuator process-pool` says otherwise. Kubernetes flags
 * without the Kubernetes actuator are an error rather than silently ignored.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../autoscaling/errors.js';
import { KUBERNETES_MODES, type KubernetesMode } from '../adapters/kubernetes-names.js';
import { KUBERNETES_DEFAULTS, kubernetesShape, type KubernetesSection } from '../config/kubernetes.js';
import type { KubernetesSettings } from '../startup/kubernetes-fleet.js';
import { decimal } from './options.js';

export const ACTUATORS = ['process-pool', 'kubernetes'] as const;
const KEDA_PORT_RULE = { min: 1, max: 65_535, integer: true };

export interface KubernetesCliOptions {
  actuator?: (typeof ACTUATORS)[number];
  namespace?: string;
  deployment?: string;
  kubeconfig?: string;
  mode?: KubernetesMode;
  kedaPort?: number;
}

export function addKubernetesOptions(cmd: Command): Command {
  const d = KUBERNETES_DEFAULTS;
  return cmd
    .addOption(new Option('--actuator <kind>', 'what scales the workers: local worker processes, or a Kubernetes Deployment (default: kubernetes when the config has a kubernetes: section, else process-pool)').choices(ACTUATORS))
    .option('--namespace <ns>', `kubernetes: ${kubernetesShape.namespace.description ?? ''} (overrides kubernetes.namespace)`)
    .option('--deployment <name>', `kubernetes: the worker Deployment (overrides kubernetes.deployment; default ${d.deployment})`)
    .option('--kubeconfig <file>', 'kubernetes: kubeconfig file (overrides kubernetes.kubeconfig; default: the pod\'s service account, else $KUBECONFIG or ~/.kube/config)')
    .addOption(new Option('--mode <mode>', `kubernetes: direct = set replicas; hpa = only export metrics for the release notes' HPA; keda = serve KEDA's external scaler (overrides kubernetes.mode; default ${d.mode})`).choices(KUBERNETES_MODES))
    .option('--keda-port <port>', `kubernetes --mode keda: gRPC port of the external scaler (overrides kubernetes.keda_port; default ${d.kedaPort})`, decimal(KEDA_PORT_RULE));
}

/** The Kubernetes settings (flags over the config section), or undefined for the process pool. */
export function kubernetesSettings(opts: KubernetesCliOptions, section?: KubernetesSection): KubernetesSettings | undefined {
  const given = (['namespace', 'deployment', 'kubeconfig', 'mode', 'kedaPort'] as const).filter((k) => opts[k] !== undefined);
  const actuator = opts.actuator ?? (section ? 'kubernetes' : 'process-pool');
  if (actuator !== 'kubernetes') {
    if (given.length > 0) throw new UsageError(`--${kebab(given[0] as string)} needs --actuator kubernetes`);
    return undefined;
  }
  const base = section ?? KUBERNETES_DEFAULTS;
  const mode = opts.mode ?? base.mode;
  if (opts.kedaPort !== undefined && mode !== 'keda') throw new UsageError('--keda-port needs --mode keda');
  const namespace = flag('--namespace', opts.namespace, kubernetesShape.namespace) ?? base.namespace;
  const kubeconfig = opts.kubeconfig ?? base.kubeconfig;
  return {
    mode,
    deployment: flag('--deployment', opts.deployment, kubernetesShape.deployment) ?? base.deployment,
    kedaPort: opts.kedaPort ?? base.kedaPort,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
  };
}

/** Checks a flag's value with its config key's own rule; the message names the flag. */
function flag<T>(name: string, value: T | undefined, rule: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } } }): T | undefined {
  if (value === undefined) return undefined;
  const r = rule.safeParse(value);
  if (!r.success) throw new UsageError(`${name} ${r.error?.issues[0]?.message ?? 'is invalid'}; got ${JSON.stringify(value)}`);
  return value;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
