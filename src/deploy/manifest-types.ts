/** Types of the manifests generator (kubernetes-manifests.ts), apart so its parts do not import each other. */
import type { KubernetesMode } from '../adapters/kubernetes-names.js';

export type ManifestObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } & Record<string, unknown> } & Record<string, unknown>;

export interface ManifestOptions {
  mode: KubernetesMode;
  /** Default `bountybot`. */
  namespace?: string;
  /** The worker Deployment. Default `bountybot-api`, the Deployment the release notes' HPA scales. */
  deployment?: string;
  /** Default `bountybot:0.1.0` (built from deploy/Dockerfile). */
  image?: string;
  /** Shared job queue of controller and workers. Default `redis://redis:6379`. */
  queueUrl?: string;
  /** Default 1 (0 in keda mode: KEDA scales to zero when idle). */
  minWorkers?: number;
  /** Default 10 (the release notes' HPA maxReplicas). */
  maxWorkers?: number;
  /** The longest validation, seconds: worker job timeout and drain; the grace period adds 30 s. Default 600. */
  jobTimeoutSeconds?: number;
  /** Default 9090. */
  kedaPort?: number;
  /** Default 8088. */
  httpPort?: number;
}

export interface ResolvedManifestOptions extends Required<ManifestOptions> {
  controllerName: string;
  leaseName: string;
  labels: (component: 'worker' | 'controller') => Record<string, string>;
}

