/**
 * The `autoscaling:` section of config/autoscaling.yaml: the core's engine and cost keys
 * (src/autoscaling/scaling-config.ts) and the live controller's runtime keys, in one flat mapping
 * as the brief has it. Each runtime key is declared once, below, with its default, bounds and
 * description; README's configuration table lists them (a test checks it does). A nested
 * section is one more entry built with `section({ … }).prefault({})`, like `cost_config`.
 */
import { z } from 'zod';
import { boolean, count, positive, section, text } from '../autoscaling/setting-fields.js';
import {
  finishScaling, refineScaling, scalingShape, type ScalingConfig, type ScalingFields,
} from '../autoscaling/scaling-config.js';
import { kubernetesSectionSchema } from './kubernetes.js';

export const BUILTIN_DEMO_HANDLER = 'builtin:demo';
/** Environment variable that supplies (and overrides) `api_token`. */
export const API_TOKEN_ENV = 'BOUNTYBOT_API_TOKEN';
/** Shortest API token accepted while the HTTP server listens beyond loopback. */
export const MIN_EXPOSED_TOKEN_LENGTH = 16;
const PATH_CHARS = 4096;
const QUEUE_URL_RULE = 'sqlite:PATH or redis://HOST:PORT[/DB][?name=QUEUE]';

export const runtimeShape = {
  enabled: boolean().default(true).describe('false: decide and log only, as --dry-run'),
  mode: z.enum(['live', 'dry-run', 'shadow'], { error: 'must be one of "live", "dry-run", "shadow"' }).default('live')
    .describe('live: scale the fleet; dry-run: decide and log only; shadow: observe a fleet scaled by something else and report what ours would have run (--dry-run / --shadow override it)'),
  metricsWindowMinutes: positive(1440).default(5).describe('Window of the rates and latencies the engine sees, minutes'),
  evaluationIntervalSeconds: positive(86_400).default(15).describe('Seconds between two decisions of the controller'),
  databasePath: text(PATH_CHARS).default('./data/bountybot.db').describe('SQLite queue and controller state, relative to the working directory'),
  httpHost: text(255).default('127.0.0.1').describe('Address the HTTP server binds'),
  httpPort: count(0, 65_535).default(8088).describe('HTTP port; 0 = any free port'),
  apiToken: text(PATH_CHARS).optional().describe(`Bearer token of the control API; ${API_TOKEN_ENV} overrides it; none: the control API is off`),
  handler: text(PATH_CHARS, 'a non-empty module path or "builtin:demo"').default(BUILTIN_DEMO_HANDLER).describe('Module exporting async validate(job)'),
  queueUrl: text(PATH_CHARS, QUEUE_URL_RULE).refine((v) => /^(sqlite:.+|rediss?:\/\/.+)$/i.test(v.trim()), { error: `must be ${QUEUE_URL_RULE}`, abort: true })
    .optional().describe('The job queue (and, for Redis, the shared controller state); none: sqlite:<database_path>; --queue overrides it'),
  fallbackAfterTicks: count(1, 1000).default(3).describe('Failed metrics reads in a row after which the controller holds the fleet (never scaling down on missing data) until a read succeeds'),
  fallbackWorkers: count(0, 10_000).optional().describe('While falling back, hold at least this many workers (at most max_workers); none: the current size'),
};

/** Cross-field checks of the runtime keys. */
function refineRuntime(c: { fallbackWorkers?: number | undefined; maxWorkers: number }, ctx: z.RefinementCtx): void {
  if (c.fallbackWorkers !== undefined && c.fallbackWorkers > c.maxWorkers) {
    ctx.addIssue({ code: 'custom', path: ['fallbackWorkers'], message: `must be <= max_workers (${c.maxWorkers})` });
  }
}

const RUNTIME_KEYS: readonly string[] = Object.keys(runtimeShape);
const runtimeObject = section(runtimeShape);
const sectionObject = section({ ...scalingShape, ...runtimeShape });
type SectionFields = z.output<typeof sectionObject>;
export type RuntimeSettings = z.output<typeof runtimeObject>;

/** Runtime keys at the top, the engine's under `scaling`. */
function splitSection(v: SectionFields): RuntimeSettings & { scaling: ScalingConfig } {
  const runtime: Record<string, unknown> = {};
  const scaling: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v)) (RUNTIME_KEYS.includes(k) ? runtime : scaling)[k] = value;
  return { ...(runtime as RuntimeSettings), scaling: finishScaling(scaling as ScalingFields) };
}

/** The `autoscaling:` section (keys camelCase here; the file spells them snake_case). */
export const autoscalingSectionSchema = sectionObject.superRefine(refineScaling).superRefine(refineRuntime).transform(splitSection);
/** The whole file: the `autoscaling:` section, and `kubernetes:` (src/config/kubernetes.ts) when the controller scales a Deployment. */
export const autoscalingFileSchema = z.strictObject(
  { autoscaling: autoscalingSectionSchema, kubernetes: kubernetesSectionSchema.optional() },
  { error: 'must be a mapping with an "autoscaling:" section' },
);
export type AutoscalingSection = z.output<typeof autoscalingSectionSchema>;

/** The defaults of every runtime key (from the schema). */
export const AUTOSCALING_RUNTIME_DEFAULTS: Readonly<Omit<RuntimeSettings, 'apiToken'>> = Object.freeze(runtimeObject.parse({}));

function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why this token may not guard an HTTP server on `host`, or null when it may: beyond loopback
 * a short token can be guessed. No token is fine (the control API is then off).
 */
export function exposedTokenProblem(host: string, token: string | undefined): string | null {
  if (token === undefined || isLoopback(host) || token.length >= MIN_EXPOSED_TOKEN_LENGTH) return null;
  return `must be at least ${MIN_EXPOSED_TOKEN_LENGTH} characters while the HTTP server listens on ${JSON.stringify(host)}, beyond loopback; got ${token.length}`;
}
