/**
 * The configuration table of README.md, rendered from the schemas: one row per key with its
 * default, its allowed range and its description. A test keeps README equal to it, so a key is
 * added in one place (its schema line) and the docs follow.
 */
import { costConfigSchema, scalingShape } from '../autoscaling/scaling-config.js';
import { camelToSnake } from '../autoscaling/settings.js';
import { kubernetesShape } from './kubernetes.js';
import { runtimeShape } from './schema.js';

interface Documented {
  description?: string;
  def: { type: string; defaultValue?: unknown; innerType?: unknown; in?: unknown };
  safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ message: string }> } };
}

function defaultOf(field: Documented): unknown {
  let s: Documented | undefined = field;
  for (let i = 0; i < 5 && s !== undefined; i++) {
    if (s.def.type === 'default') return s.def.defaultValue;
    if (s.def.type === 'optional' || s.def.type === 'prefault' || s.def.type === 'pipe') s = (s.def.innerType ?? s.def.in) as Documented | undefined;
    else return undefined;
  }
  return undefined;
}

/** The rule a field states for a value of the wrong kind, e.g. "an integer in [1, 10000]". */
function ruleOf(field: Documented): string {
  const probe = field.safeParse(Symbol('probe'));
  const message = probe.error?.issues[0]?.message ?? '';
  return message.startsWith('must be ') ? message.slice('must be '.length) : message;
}

function row(key: string, field: Documented, fallback?: string): string {
  const d = defaultOf(field);
  const shown = d === undefined ? (fallback ?? 'none') : `\`${String(d)}\``;
  return `| \`${key}\` | ${shown} | ${ruleOf(field)} | ${field.description ?? ''} |`;
}

const FALLBACKS: Record<string, string> = {
  scale_up_cooldown_minutes: '`cooldown_minutes`',
  scale_down_cooldown_minutes: '`cooldown_minutes`',
  'cost_config.timezone': '`timezone`',
  api_token: 'none',
};

/** README's configuration table (Markdown). */
export function configTableMarkdown(): string {
  const lines = ['| key | default | allowed | meaning |', '|---|---|---|---|'];
  const costShape = (costConfigSchema as unknown as { def: { in: { shape: Record<string, Documented> } } }).def.in.shape;
  for (const [k, field] of Object.entries(scalingShape as unknown as Record<string, Documented>)) {
    const key = camelToSnake(k);
    if (key === 'cost_config') {
      for (const [ck, cf] of Object.entries(costShape)) {
        const name = `cost_config.${camelToSnake(ck)}`;
        lines.push(row(name, cf, FALLBACKS[name]));
      }
    } else {
      lines.push(row(key, field, FALLBACKS[key]));
    }
  }
  for (const [k, field] of Object.entries(runtimeShape as unknown as Record<string, Documented>)) {
    const key = camelToSnake(k);
    lines.push(row(key, field, FALLBACKS[key]));
  }
  return lines.join('\n');
}


/** README's table of the `kubernetes:` section (Markdown). */
export function kubernetesTableMarkdown(): string {
  const lines = ['| key | default | allowed | meaning |', '|---|---|---|---|'];
  for (const [k, field] of Object.entries(kubernetesShape as unknown as Record<string, Documented>)) {
    lines.push(row(`kubernetes.${camelToSnake(k)}`, field));
  }
  return lines.join('\n');
}
