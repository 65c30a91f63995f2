/**
 * Handing the SLO to our engine. The engine's config carries it as `sloSeconds` / `sloTarget`
 * once the engine declares those keys (its defaults, from `resolveScalingConfig({})`, list every
 * key it has); until then nothing is passed and the report says the engine has no SLO keys.
 * A value the user's config file sets explicitly is kept (and the report shows both SLOs).
 */
import { resolveScalingConfig, type ScalingConfig } from '../autoscaling/scaling-config.js';
import type { EngineSlo } from './types.js';

/** The engine keys that carry the SLO, camelCase as in ScalingConfig. */
export const ENGINE_SLO_KEYS = ['sloSeconds', 'sloTarget'] as const;
export type EngineSloKey = (typeof ENGINE_SLO_KEYS)[number];

export interface Slo {
  sloSeconds: number;
  sloTarget: number;
}

/** The SLO keys this build's engine declares. */
export function declaredSloKeys(): EngineSloKey[] {
  const defaults = resolveScalingConfig({}) as unknown as Record<string, unknown>;
  return ENGINE_SLO_KEYS.filter((k) => k in defaults);
}

/**
 * `base` with sloSeconds and sloTarget set from `slo`, for each key the engine declares and the
 * user's file did not set (`explicit`: camelCase keys present in the file); and what the engine got.
 */
export function engineConfigForSlo(base: ScalingConfig, slo: Slo, explicit: ReadonlySet<string> = new Set()): { config: ScalingConfig; engineSlo: EngineSlo } {
  const declared = declaredSloKeys();
  if (declared.length === 0) return { config: base, engineSlo: { source: 'not in this engine' } };
  const patch: Record<string, number> = {};
  for (const key of declared) if (!explicit.has(key)) patch[key] = slo[key];
  const config = resolveScalingConfig({ ...base, ...patch });
  const values = config as unknown as Record<string, unknown>;
  const num = (k: EngineSloKey): number | undefined => (typeof values[k] === 'number' ? values[k] : undefined);
  const seconds = num('sloSeconds');
  const target = num('sloTarget');
  return {
    config,
    engineSlo: {
      ...(seconds !== undefined ? { sloSeconds: seconds } : {}),
      ...(target !== undefined ? { sloTarget: target } : {}),
      source: declared.some((k) => explicit.has(k)) ? 'config file' : 'simulate flags',
    },
  };
}
