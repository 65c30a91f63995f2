/**
 * Statistics every queue backend computes the same way for `QueueWindowStats` (pure).
 */

/** Below this many completions a cv estimate is too noisy to size on (the engine then assumes 1). */
export const MIN_COMPLETIONS_FOR_CV = 20;

/** Sample coefficient of variation from count, sum and sum of squares. */
export function serviceTimeCvFromSums(n: number, sum: number, sumOfSquares: number): number | undefined {
  if (n < MIN_COMPLETIONS_FOR_CV) return undefined;
  const mean = sum / n;
  if (!(mean > 0)) return undefined;
  const variance = Math.max(0, sumOfSquares / n - mean * mean) * (n / (n - 1));
  return Math.sqrt(variance) / mean;
}
