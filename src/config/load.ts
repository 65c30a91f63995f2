/**
 * `config/autoscaling.yaml` loader: YAML (snake_case, as the v2.9.0 brief) → typed camelCase
 * `AutoscalingConfig`, validated by the one schema (schema.ts). Every error names the file, the
 * key path as written in the YAML, the value (a short prefix of it) and the line; unknown keys
 * are rejected with a suggestion. All keys live under `autoscaling:`.
 *
 * Limits: a config file may hold at most MAX_CONFIG_BYTES (1 MiB); anything nested too deeply
 * for the parser is a ConfigError, not a crash. The environment variable BOUNTYBOT_API_TOKEN,
 * when set and non-empty, supplies or overrides `api_token`; set to blanks only, it is an error
 * (it would silently turn the control API off). Budgets are not required to satisfy
 * hourly ≤ daily ≤ monthly (each is enforced on its own): such a config loads with a warning.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import YAML from 'yaml';
import { ConfigError } from '../autoscaling/errors.js';
import { scalingWarnings } from '../autoscaling/scaling-config.js';
import {
  formatIssues, parseSettings, resolveSettingRefs, showKey, showValue, type SettingIssue,
} from '../autoscaling/settings.js';
import type { KubernetesSection } from './kubernetes.js';
import { API_TOKEN_ENV, autoscalingFileSchema, exposedTokenProblem, type AutoscalingSection } from './schema.js';

/** Largest config file (or text) accepted, bytes. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deepest nesting of flow collections (`[…]`, `{…}`) accepted; the schema itself is 3 deep. */
export const MAX_FLOW_NESTING = 64;
const SECTION = 'autoscaling';

export type AutoscalingConfig = Omit<AutoscalingSection, 'apiToken'> & {
  /** The `kubernetes:` section, when the file has one. */
  kubernetes?: KubernetesSection;
  /** From `api_token` or BOUNTYBOT_API_TOKEN (which wins); undefined when neither is set. */
  apiToken: string | undefined;
  /** Where the config came from (file path or '<inline>'). */
  source: string;
  /** Legal but suspicious settings (e.g. hourly budget above the daily one). */
  warnings: string[];
};

export interface ParseOptions {
  /** Environment for BOUNTYBOT_API_TOKEN; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Reads at most MAX_CONFIG_BYTES + 1 bytes, so a huge file or a device never hangs the load. */
function readBounded(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`config file not found: ${path}`, { cause: err });
    throw new ConfigError(`${path}: cannot read config file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ConfigError(`${path}: is a directory, not a config file`);
    if (stat.isFile() && stat.size > MAX_CONFIG_BYTES) throw tooLarge(path, stat.size);
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buf, length, buf.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > MAX_CONFIG_BYTES) throw tooLarge(path, length);
    }
    return buf.subarray(0, length).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new ConfigError(`${path}: is a directory, not a config file`, { cause: err });
    throw new ConfigError(`${path}: cannot read config file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  } finally {
    closeSync(fd);
  }
}

function tooLarge(source: string, bytes: number): ConfigError {
  return new ConfigError(`${source}: config is ${bytes > MAX_CONFIG_BYTES ? `more than ${MAX_CONFIG_BYTES}` : bytes} bytes; the limit is ${MAX_CONFIG_BYTES} (1 MiB)`);
}

export function loadAutoscalingConfig(path: string, options: ParseOptions = {}): AutoscalingConfig {
  return parseAutoscalingConfig(readBounded(path), path, options);
}

/**
 * Deepest `[`/`{` nesting outside quotes and comments, stopping past `limit`. A rough scan, as a
 * guard in front of the parser (which recurses per level); the parser still judges the syntax.
 */
function flowNesting(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(text[i - 1] ?? ''))) {
      quote = c;
    } else if (c === '[' || c === '{') {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) break;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

const tooDeep = (source: string, cause?: unknown): ConfigError =>
  new ConfigError(`${source}: invalid YAML: nested too deeply (at most ${MAX_FLOW_NESTING} levels)`, cause === undefined ? {} : { cause });

/** The first repeated key of any mapping, found in linear time (the parser's own check is quadratic). */
function firstDuplicateKey(doc: YAML.Document.Parsed): YAML.Scalar | undefined {
  let found: YAML.Scalar | undefined;
  YAML.visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!YAML.isScalar(pair.key)) continue;
        const key = pair.key.value;
        if (seen.has(key)) {
          found = pair.key;
          return YAML.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** The YAML document, or a ConfigError for a syntax error or nesting too deep for the parser. */
function parseYaml(yamlText: string, source: string): { doc: YAML.Document.Parsed; raw: unknown; lineCounter: YAML.LineCounter } {
  if (flowNesting(yamlText, MAX_FLOW_NESTING) > MAX_FLOW_NESTING) throw tooDeep(source);
  const lineCounter = new YAML.LineCounter();
  try {
    const doc = YAML.parseDocument(yamlText, { lineCounter, prettyErrors: true, uniqueKeys: false });
    if (doc.errors.some((e) => e.message.includes('Maximum call stack'))) throw tooDeep(source);
    const duplicate = doc.errors.length === 0 ? firstDuplicateKey(doc) : undefined;
    if (duplicate?.range) {
      const pos = lineCounter.linePos(duplicate.range[0]);
      throw new ConfigError(`${source}: line ${pos.line}, column ${pos.col}: invalid YAML: Map keys must be unique (${showKey(String(duplicate.value))})`);
    }
    if (doc.errors.length > 0) {
      throw new ConfigError(doc.errors.slice(0, 5).map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
        const first = e.message.split(' at line ')[0]?.split('\n')[0] ?? e.message;
        return `${source}: ${where}: invalid YAML: ${first.slice(0, 200)}`;
      }).join('\n'));
    }
    return { doc, raw: doc.toJS({ maxAliasCount: 100 }), lineCounter };
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (err instanceof RangeError) throw tooDeep(source, err);
    throw new ConfigError(`${source}: invalid YAML: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`, { cause: err });
  }
}

export function parseAutoscalingConfig(yamlText: string, source = '<inline>', options: ParseOptions = {}): AutoscalingConfig {
  const bytes = Buffer.byteLength(yamlText, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) throw tooLarge(source, bytes);
  const { doc, raw, lineCounter } = parseYaml(yamlText, source);
  const lineOf = (path: readonly string[], key?: string): string => {
    let node: unknown;
    try {
      node = doc.getIn(path, true);
    } catch {
      return '';
    }
    let range: readonly number[] | undefined;
    if (key !== undefined && YAML.isMap(node)) {
      const pair = node.items.find((it) => YAML.isScalar(it.key) && String(it.key.value) === key);
      range = YAML.isScalar(pair?.key) ? pair.key.range ?? undefined : undefined;
    } else if (YAML.isNode(node)) {
      range = node.range ?? undefined;
    }
    return range?.[0] === undefined ? '' : ` (line ${lineCounter.linePos(range[0]).line})`;
  };
  const describe = (issue: SettingIssue, hint: string): string => {
    const where = issue.path.length === 0 ? '(document root)' : issue.path.map(showKey).join('.');
    if (issue.kind === 'unknown_key') {
      return `${source}: unknown key ${where}${hint}${lineOf(issue.path.slice(0, -1), issue.path[issue.path.length - 1])}`;
    }
    const got = issue.hasValue && issue.value !== undefined ? `; got ${showValue(issue.value)}` : '';
    return `${source}: ${where}: ${issue.message}${got}${lineOf(issue.path)}`;
  };

  const parsed = parseSettings(autoscalingFileSchema, raw, { style: 'snake' });
  if (!parsed.ok) throw new ConfigError(formatIssues(parsed.issues, describe));
  const section = parsed.value.autoscaling;

  const env = options.env ?? process.env;
  const envToken = env[API_TOKEN_ENV];
  if (envToken !== undefined && envToken !== '' && envToken.trim() === '') {
    throw new ConfigError(`${API_TOKEN_ENV}: must be a non-empty token; got only whitespace (unset it to use ${SECTION}.api_token)`);
  }
  const fromEnv = envToken !== undefined && envToken !== '';
  const apiToken = fromEnv ? envToken : section.apiToken;
  const problem = exposedTokenProblem(section.httpHost, apiToken);
  if (problem !== null) {
    throw new ConfigError(fromEnv
      ? `${API_TOKEN_ENV}: ${problem} (${source}: ${SECTION}.http_host)`
      : `${source}: ${SECTION}.api_token: ${problem}${lineOf([SECTION, 'api_token'])}`);
  }
  const kubernetes = parsed.value.kubernetes;
  return {
    ...section,
    ...(kubernetes ? { kubernetes } : {}),
    apiToken,
    source,
    warnings: scalingWarnings(section.scaling).map((w) => `${source}: ${resolveSettingRefs(w, 'snake', [SECTION])}`),
  };
}
