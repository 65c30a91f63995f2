/**
 * Parses settings with their zod schema. The schema's keys are camelCase; input keys may be
 * spelled as the schema does or in snake_case (the brief's Python and YAML), as `style` allows.
 * Keys are mapped to the schema's spelling first, so unknown keys are reported with a
 * suggestion in the input's own spelling, and every issue names the setting as it was written.
 *
 * Work is bounded whatever the input: suggestions are computed only for keys of sane length,
 * values and keys are echoed as a short prefix, and at most MAX_ISSUES problems are listed.
 */
import type { z } from 'zod';

/** 'snake': only snake_case (the YAML file); 'camel+snake': either (the engine's constructor). */
export type KeyStyle = 'snake' | 'camel+snake';

export interface SettingIssue {
  /** Where, as the input spells it (e.g. ['cost_config', 'hourly_budget']). */
  path: string[];
  kind: 'unknown_key' | 'invalid';
  /** 'must be …' for an invalid value; empty for an unknown key (formatIssues adds the hint). */
  message: string;
  /** For an unknown key: the keys allowed beside it, as the input would spell them. */
  allowed?: readonly string[];
  /** The offending value (invalid values only); absent when the setting is missing. */
  value?: unknown;
  hasValue: boolean;
}

export type SettingsResult<T> = { ok: true; value: T } | { ok: false; issues: SettingIssue[] };

/** Issues listed in one error; the rest are counted. */
export const MAX_ISSUES = 20;
/** Longest key for which a "did you mean" is computed (the longest real key has 32 characters). */
const MAX_SUGGESTION_KEY = 64;
/** Characters of a bad value or key echoed back. */
const ECHO_CHARS = 60;

export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The value for a message: numbers as is, strings quoted, anything long cut to a short prefix. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v.length > ECHO_CHARS ? v.slice(0, ECHO_CHARS) : v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : typeof v;
  }
  return s.length > ECHO_CHARS ? `${s.slice(0, ECHO_CHARS - 3)}...` : s;
}

/** A key for a message, cut to a short prefix. */
export function showKey(key: string): string {
  return key.length > ECHO_CHARS ? `${key.slice(0, ECHO_CHARS - 3)}...(${key.length} characters)` : key;
}

/** Levenshtein distance with an early exit once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** " — did you mean X?" for the closest allowed key, or '' when none is close. */
export function suggestKey(key: string, allowed: readonly string[]): string {
  const flat = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');
  if (key.length <= MAX_SUGGESTION_KEY) {
    const limit = Math.max(2, Math.floor(key.length / 3));
    let best: string | undefined;
    let bestDistance = limit + 1;
    for (const candidate of allowed) {
      const d = flat(candidate) === flat(key) ? 0 : editDistance(key.toLowerCase(), candidate.toLowerCase(), limit);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best !== undefined) return ` — did you mean ${best}?`;
  }
  return '';
}

// ---- the schema's shape, for mapping keys ----

interface Introspectable {
  def: { type: string; shape?: Record<string, unknown>; in?: unknown; innerType?: unknown };
}

/** The object shape a schema parses (through defaults, optionals and transforms), if any. */
function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  let s = schema as Introspectable | undefined;
  for (let i = 0; i < 10 && s !== undefined; i++) {
    const d = s.def;
    if (d.type === 'object') return d.shape;
    s = (d.type === 'pipe' ? d.in : d.innerType) as Introspectable | undefined;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

interface Normalized {
  value: unknown;
  issues: SettingIssue[];
  /** Schema path ('costConfig.hourlyBudget') → path as written. */
  written: Map<string, string[]>;
}

function normalize(input: unknown, schema: unknown, style: KeyStyle, schemaPath: string[], writtenPath: string[], out: Normalized): unknown {
  const shape = shapeOf(schema);
  // In YAML a section whose keys are all commented out (`cost_config:`) is null: an empty section.
  const value = input === null && shape !== undefined && style === 'snake' && schemaPath.length > 0 ? {} : input;
  if (shape === undefined || !isPlainObject(value)) return value;
  const keys = Object.keys(shape);
  const spelled = (k: string): string => (style === 'snake' ? camelToSnake(k) : k);
  const result: Record<string, unknown> = {};
  const seenAs = new Map<string, string>();
  for (const [rawKey, v] of Object.entries(value)) {
    const camel = style === 'snake' ? (rawKey === camelToSnake(snakeToCamel(rawKey)) ? snakeToCamel(rawKey) : undefined) : snakeToCamel(rawKey);
    const key = camel !== undefined && Object.hasOwn(shape, camel) ? camel : undefined;
    if (key === undefined) {
      const allowed = style === 'snake' || rawKey.includes('_') ? keys.map(camelToSnake) : keys;
      out.issues.push({ path: [...writtenPath, rawKey], kind: 'unknown_key', message: '', allowed, hasValue: false });
      continue;
    }
    const earlier = seenAs.get(key);
    if (earlier !== undefined) {
      out.issues.push({
        path: [...writtenPath, rawKey], kind: 'invalid', hasValue: false,
        message: `is given twice (as ${earlier} and as ${rawKey}); keep one`,
      });
      continue;
    }
    seenAs.set(key, rawKey);
    const childSchemaPath = [...schemaPath, key];
    const childWritten = [...writtenPath, rawKey];
    out.written.set(childSchemaPath.join('.'), childWritten);
    result[key] = normalize(v, shape[key], style, childSchemaPath, childWritten, out);
  }
  for (const k of keys) if (!seenAs.has(k)) out.written.set([...schemaPath, k].join('.'), [...writtenPath, spelled(k)]);
  return result;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let v = root;
  for (const k of path) {
    if (!isPlainObject(v) || !Object.hasOwn(v, k as string)) return { found: false, value: undefined };
    v = v[k as string];
  }
  return { found: true, value: v };
}

export interface ParseSettingsOptions {
  style: KeyStyle;
  /** Path prefix of the settings inside their document, as written (e.g. ['autoscaling']). */
  prefix?: string[];
}

/**
 * Parses `input` with `schema`. Issues name settings as written, with `{{ref}}`s in messages
 * resolved to the referenced setting's written name (prefixed as given).
 */
export function parseSettings<S extends z.ZodType>(schema: S, input: unknown, opts: ParseSettingsOptions): SettingsResult<z.output<S>> {
  const prefix = opts.prefix ?? [];
  const n: Normalized = { value: undefined, issues: [], written: new Map() };
  n.value = normalize(input, schema, opts.style, [], prefix, n);
  const parsed = schema.safeParse(n.value);
  if (parsed.success && n.issues.length === 0) return { ok: true, value: parsed.data };
  const writtenOf = (schemaPath: readonly PropertyKey[]): string[] =>
    n.written.get(schemaPath.map(String).join('.')) ?? [...prefix, ...schemaPath.map((k) => (opts.style === 'snake' ? camelToSnake(String(k)) : String(k)))];
  // A ref names a setting relative to the object holding the issue's setting (a sibling, or below it).
  const resolveRefs = (message: string, at: readonly PropertyKey[]): string =>
    message.replace(/\{\{([A-Za-z0-9_.]+)\}\}/g, (_, p: string) => writtenOf([...at.slice(0, -1), ...p.split('.')]).join('.'));
  const issues = [...n.issues];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const at = valueAt(n.value, issue.path);
      issues.push({
        path: writtenOf(issue.path), kind: 'invalid', message: resolveRefs(issue.message, issue.path),
        ...(at.found ? { value: at.value } : {}), hasValue: at.found,
      });
    }
  }
  return { ok: false, issues };
}

/** Replaces `{{ref}}`s in a message (e.g. a warning) with the written names, as parseSettings does. */
export function resolveSettingRefs(message: string, style: KeyStyle, prefix: readonly string[] = []): string {
  return message.replace(/\{\{([A-Za-z0-9_.]+)\}\}/g, (_, p: string) =>
    [...prefix, ...p.split('.').map((k) => (style === 'snake' ? camelToSnake(k) : k))].join('.'));
}

/**
 * One line per issue, at most MAX_ISSUES of them, then a count of the rest. `line` gets, for an
 * unknown key, the hint: " — did you mean X?", else the allowed keys (listed once per mapping).
 */
export function formatIssues(issues: readonly SettingIssue[], line: (issue: SettingIssue, hint: string) => string): string {
  const listed = new Set<string>();
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => {
    if (issue.kind !== 'unknown_key') return line(issue, '');
    const allowed = issue.allowed ?? [];
    const hint = suggestKey(issue.path[issue.path.length - 1] ?? '', allowed);
    if (hint !== '' || allowed.length === 0) return line(issue, hint);
    const parent = issue.path.slice(0, -1).join('.');
    const list = listed.has(parent) ? ' — not an allowed key (see the list above)' : ` — allowed keys: ${allowed.join(', ')}`;
    listed.add(parent);
    return line(issue, list);
  });
  if (issues.length > MAX_ISSUES) shown.push(`… and ${issues.length - MAX_ISSUES} more problems`);
  return shown.join('\n');
}
