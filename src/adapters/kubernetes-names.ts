/**
 * Names the Kubernetes adapters and the manifests generator share (no library imports, so the
 * generator and the CLI can use them without loading the Kubernetes or gRPC clients).
 */

export const KUBERNETES_MODES = ['direct', 'hpa', 'keda'] as const;
/** `direct`: bountybot sets replicas. `hpa`: it only exports metrics for an HPA. `keda`: it serves KEDA's external scaler. */
export type KubernetesMode = (typeof KUBERNETES_MODES)[number];

/** Field manager of every write (server-side field ownership, audit logs). */
export const FIELD_MANAGER = 'bountybot';
export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export const DEFAULT_LEASE_NAME = 'bountybot-controller';
/** client-go's leader-election defaults. */
export const LEASE_DEFAULTS = Object.freeze({ leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });

export const KEDA_METRIC_NAME = 'bountybot_desired_workers';
export const DEFAULT_KEDA_PORT = 9090;
