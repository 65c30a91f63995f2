/**
 * The autoscaler objects of the `hpa` and `keda` modes: the release notes' HPA exactly as printed,
 * prometheus-adapter rules that serve its two custom metrics per worker pod, and a KEDA
 * ScaledObject whose `external` trigger points at the controller's external scaler.
 */
import { KEDA_METRIC_NAME } from '../adapters/kubernetes-names.js';
import type { ManifestObject, ResolvedManifestOptions } from './manifest-types.js';

/**
 * The release notes' HPA ("Kubernetes Integration") as printed. Only `metadata.namespace` is added
 * (so it lands beside its Deployment), and its names follow --deployment (the defaults print the
 * release notes' `bountybot-api` / `bountybot-api-hpa`).
 */
export function seedHpa(o: ResolvedManifestOptions): ManifestObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: `${o.deployment}-hpa`, namespace: o.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.deployment },
      minReplicas: 1,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Pods', pods: { metric: { name: 'bountybot_autoscaling_queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'Pods', pods: { metric: { name: 'bountybot_autoscaling_avg_latency_seconds' }, target: { type: 'AverageValue', averageValue: '30' } } },
      ],
    },
  };
}

/**
 * prometheus-adapter rules (its config.yaml) for the seed HPA's Pods metrics. The controller
 * exports one series per metric; the HPA asks for a value per worker pod and averages them. So
 * each worker pod (found through kube-state-metrics' kube_pod_info) gets
 *  - queue depth: the queue divided by the pods asked about, so the average is "waiting per pod";
 *  - avg latency: the latency itself, so the average is the latency (a ratio target).
 * Assumes Prometheus labels the controller's series with `namespace` (the usual pod/endpoint
 * scrape configs do) and kube-state-metrics runs. Also an external rule for desired_workers.
 */
export function prometheusAdapterRules(o: ResolvedManifestOptions): Record<string, unknown> {
  const ns = o.namespace;
  const perPod = (value: string): string => [
    'sum by (<<.GroupBy>>) (',
    '  (kube_pod_info{<<.LabelMatchers>>} * 0)',
    '  + on (namespace) group_left ()',
    `  (${value})`,
    ')',
  ].join('\n');
  const podRule = (metric: string, value: string): Record<string, unknown> => ({
    seriesQuery: `kube_pod_info{namespace="${ns}",created_by_kind="ReplicaSet"}`,
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: '^kube_pod_info$', as: metric },
    metricsQuery: perPod(value),
  });
  return {
    rules: [
      podRule('bountybot_autoscaling_queue_depth',
        `max by (namespace) (bountybot_autoscaling_queue_depth{namespace="${ns}"}) / on (namespace) count by (namespace) (kube_pod_info{<<.LabelMatchers>>})`),
      podRule('bountybot_autoscaling_avg_latency_seconds',
        `max by (namespace) (bountybot_autoscaling_avg_latency_seconds{namespace="${ns}"})`),
    ],
    externalRules: [{
      seriesQuery: `bountybot_autoscaling_desired_workers{namespace="${ns}"}`,
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      name: { matches: '^bountybot_autoscaling_desired_workers$', as: 'bountybot_autoscaling_desired_workers' },
      metricsQuery: 'max(<<.Series>>{<<.LabelMatchers>>})',
    }],
  };
}

/**
 * A KEDA ScaledObject with an `external` trigger: KEDA polls IsActive (scale from and to zero)
 * and its HPA reads GetMetrics (our desired workers, target 1). The HPA behaviour lets any step
 * through at once: the controller already stabilizes, rate-limits and budgets its target.
 */
export function scaledObject(o: ResolvedManifestOptions): ManifestObject {
  const step = { type: 'Pods', value: o.maxWorkers, periodSeconds: 15 };
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: o.deployment, namespace: o.namespace, labels: o.labels('worker') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: o.deployment },
      minReplicaCount: o.minWorkers,
      maxReplicaCount: o.maxWorkers,
      pollingInterval: 15,
      cooldownPeriod: 300,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [step] },
            scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [step] },
          },
        },
      },
      triggers: [{
        type: 'external',
        metricType: 'AverageValue',
        metadata: {
          scalerAddress: `${o.controllerName}.${o.namespace}.svc.cluster.local:${o.kedaPort}`,
          metricName: KEDA_METRIC_NAME,
        },
      }],
    },
  };
}
