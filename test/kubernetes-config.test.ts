/**
 * The `kubernetes:` config section and the `run` flags over it: which actuator, which settings,
 * and the errors (naming the key or the flag, with the value).
 */
import { describe, expect, it } from 'vitest';
import { kubernetesSettings, type KubernetesCliOptions } from '../src/cli/kubernetes-options.js';
import { parseAutoscalingConfig } from '../src/config/load.js';

const config = (kubernetes: string): ReturnType<typeof parseAutoscalingConfig> =>
  parseAutoscalingConfig(`autoscaling: {}\n${kubernetes}`, 'bountybot.yaml');

describe('kubernetes: section and run flags', () => {
  it.each([
    ['no section, no flags: the process pool', '', {}, undefined],
    ['an empty section selects Kubernetes with the defaults', 'kubernetes:\n', {}, { mode: 'direct', deployment: 'bountybot-api', kedaPort: 9090 }],
    ['the section\'s keys', 'kubernetes:\n  mode: keda\n  namespace: work\n  deployment: workers\n  keda_port: 9191\n  kubeconfig: /k.yaml\n', {},
      { mode: 'keda', namespace: 'work', deployment: 'workers', kedaPort: 9191, kubeconfig: '/k.yaml' }],
    ['flags override keys', 'kubernetes:\n  mode: keda\n  namespace: work\n', { mode: 'direct', namespace: 'other', deployment: 'w2' },
      { mode: 'direct', namespace: 'other', deployment: 'w2', kedaPort: 9090 }],
    ['--actuator process-pool wins over the section', 'kubernetes:\n  mode: hpa\n', { actuator: 'process-pool' }, undefined],
    ['--actuator kubernetes without a section', '', { actuator: 'kubernetes', deployment: 'w' }, { mode: 'direct', deployment: 'w', kedaPort: 9090 }],
  ] as Array<[string, string, KubernetesCliOptions, unknown]>)('%s', (_name, yaml, flags, expected) => {
    expect(kubernetesSettings(flags, config(yaml).kubernetes)).toEqual(expected);
  });

  it.each([
    ['a bad mode key', 'kubernetes:\n  mode: swarm\n', /bountybot\.yaml: kubernetes\.mode: must be one of direct, hpa, keda; got "swarm" \(line 3\)/],
    ['a misspelt key', 'kubernetes:\n  deploymnet: x\n', /unknown key kubernetes\.deploymnet — did you mean deployment\?/],
    ['a port out of range', 'kubernetes:\n  keda_port: 70000\n', /kubernetes\.keda_port: must be an integer <= 65535; got 70000/],
    ['a name that is not a Kubernetes name', 'kubernetes:\n  namespace: Work_1\n', /kubernetes\.namespace: must be a Kubernetes name/],
  ])('rejects %s in the file', (_name, yaml, message) => {
    expect(() => config(yaml)).toThrow(message);
  });

  it.each([
    ['a Kubernetes flag for the process pool', {}, '', /--namespace needs --actuator kubernetes/, { namespace: 'x' }],
    ['--keda-port outside keda mode', { actuator: 'kubernetes' }, '', /--keda-port needs --mode keda/, { kedaPort: 9000 }],
    ['a deployment that is not a Kubernetes name', { actuator: 'kubernetes' }, '', /--deployment must be a Kubernetes name.*"Bad_Name"/, { deployment: 'Bad_Name' }],
    ['--keda-port when the section says hpa', {}, 'kubernetes:\n  mode: hpa\n', /--keda-port needs --mode keda/, { kedaPort: 9000 }],
  ] as Array<[string, KubernetesCliOptions, string, RegExp, KubernetesCliOptions]>)('rejects %s', (_name, base, yaml, message, extra) => {
    expect(() => kubernetesSettings({ ...base, ...extra }, config(yaml).kubernetes)).toThrow(message);
  });
});
