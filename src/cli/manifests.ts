/**
 * `bountybot manifests --mode direct|hpa|keda`: prints the Kubernetes objects of that mode as YAML
 * (the defaults are committed under deploy/kubernetes/). Pipe it to `kubectl apply -f -`.
 */
import { Option, type Command } from 'commander';
import { KUBERNETES_MODES, type KubernetesMode } from '../adapters/kubernetes-names.js';
import { MANIFEST_DEFAULTS, renderManifests } from '../deploy/kubernetes-manifests.js';
import { decimal } from './options.js';

interface ManifestsCliOptions {
  mode: KubernetesMode;
  namespace: string;
  deployment: string;
  image: string;
  queueUrl: string;
  minWorkers?: number;
  maxWorkers: number;
  jobTimeoutSeconds: number;
  kedaPort: number;
}

const int = (min: number, max: number) => decimal({ min, max, integer: true });

export function registerManifests(program: Command): void {
  program
    .command('manifests')
    .description('print the Kubernetes manifests (YAML) of a mode: worker and controller Deployments, Service, RBAC, and the HPA or KEDA objects')
    .addOption(new Option('--mode <mode>', 'direct: bountybot sets replicas; hpa: the release notes\' HPA scales on our metrics; keda: KEDA scales on our external scaler')
      .choices(KUBERNETES_MODES).default('direct'))
    .option('--namespace <ns>', 'namespace of every object', MANIFEST_DEFAULTS.namespace)
    .option('--deployment <name>', 'worker Deployment (the release notes\' HPA scales bountybot-api)', MANIFEST_DEFAULTS.deployment)
    .option('--image <image>', 'container image with bountybot (deploy/Dockerfile)', MANIFEST_DEFAULTS.image)
    .option('--queue-url <url>', 'job queue shared by controller and workers', MANIFEST_DEFAULTS.queueUrl)
    .option('--min-workers <n>', 'ScaledObject minReplicaCount (keda); default 0 in keda mode, else 1', int(0, 1000))
    .option('--max-workers <n>', 'ScaledObject maxReplicaCount / HPA step size', int(1, 1000), MANIFEST_DEFAULTS.maxWorkers)
    .option('--job-timeout-seconds <s>', 'the longest validation; the workers\' grace period adds 30 s', int(1, 86_400), MANIFEST_DEFAULTS.jobTimeoutSeconds)
    .option('--keda-port <port>', 'gRPC port of the external scaler (keda)', int(1, 65_535), MANIFEST_DEFAULTS.kedaPort)
    .action((opts: ManifestsCliOptions) => {
      process.stdout.write(renderManifests({
        mode: opts.mode, namespace: opts.namespace, deployment: opts.deployment, image: opts.image, queueUrl: opts.queueUrl,
        ...(opts.minWorkers !== undefined ? { minWorkers: opts.minWorkers } : {}),
        maxWorkers: opts.maxWorkers, jobTimeoutSeconds: opts.jobTimeoutSeconds, kedaPort: opts.kedaPort,
      }));
    });
}
