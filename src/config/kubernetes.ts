/**
 * The `kubernetes:` section of config/autoscaling.yaml: what `bountybot run --actuator kubernetes`
 * scales and how. A file with this section runs the controller against Kubernetes unless
 * `--actuator process-pool` is given; each `run` flag of the same name overrides its key.
 */
import { z } from 'zod';
import { count, section, text } from '../autoscaling/setting-fields.js';
import { DEFAULT_KEDA_PORT, KUBERNETES_MODES } from '../adapters/kubernetes-names.js';

const DNS_LABEL_RULE = 'a Kubernetes name (lower-case letters, digits and "-", at most 63 characters)';
const dnsLabel = () => z.string({ error: `must be ${DNS_LABEL_RULE}` })
  .refine((s) => s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s), { error: `must be ${DNS_LABEL_RULE}`, abort: true });

export const kubernetesShape = {
  mode: z.enum(KUBERNETES_MODES, { error: `must be one of ${KUBERNETES_MODES.join(', ')}` }).default('direct')
    .describe('direct: the controller sets replicas; hpa: it only exports metrics for the release notes\' HPA; keda: it serves KEDA\'s external scaler'),
  namespace: dnsLabel().optional().describe('Namespace of the worker Deployment and the Lease; default: the kubeconfig context\'s or the pod\'s, else "default"'),
  deployment: dnsLabel().default('bountybot-api').describe('The worker Deployment (the one the release notes\' HPA scales)'),
  kubeconfig: text(4096).optional().describe('Kubeconfig file; default: in a pod its service account, else $KUBECONFIG or ~/.kube/config'),
  kedaPort: count(1, 65_535).default(DEFAULT_KEDA_PORT).describe('gRPC port of the KEDA external scaler (keda mode)'),
};

export const kubernetesSectionSchema = section(kubernetesShape);
export type KubernetesSection = z.output<typeof kubernetesSectionSchema>;
/** The section's defaults (from the schema). */
export const KUBERNETES_DEFAULTS: Readonly<KubernetesSection> = Object.freeze(kubernetesSectionSchema.parse({}));
