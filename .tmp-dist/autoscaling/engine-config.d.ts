/**
 * Accepts engine settings as camelCase (TypeScript) or as the brief's snake_case (pasted from
 * the Python examples or YAML), and rejects unknown keys with a suggestion.
 */
import { type ScalingConfigInput } from './scaling-config.js';
export declare function snakeToCamel(key: string): string;
/** Levenshtein distance, for "did you mean" suggestions. */
export declare function editDistance(a: string, b: string): number;
export declare function closestKey(key: string, known: Iterable<string>): string | undefined;
export declare function normalizeScalingConfigInput(input: ScalingConfigInput | Record<string, unknown> | undefined): ScalingConfigInput;
