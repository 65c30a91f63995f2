/**
 * Issue 8's forecast targets as PASS/FAIL rows: the hook the forecaster's work fills in. This first
 * version scores what the bench already measures: at each trace's shortest evaluated horizon (5 min
 * for 1-minute bins, one bin otherwise), bountybot's WAPE against the best of last-value,
 * moving-average, seasonal-naive-daily and holt-winters: ≤ 1.00× on every trace, ≤ 0.85× on NASA.
 */
import type { ForecastEvaluation } from '../sim/forecast-eval.js';
import type { TargetRow } from './slo-grid.js';

export interface ForecastBench {
  name: string;
  forecasts: readonly ForecastEvaluation[];
}

const BASELINES = ['last-value', 'moving-average', 'seasonal-naive-daily', 'holt-winters'] as const;

export function forecastTargetRows(traces: readonly ForecastBench[]): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const t of traces) {
    const f = [...t.forecasts].sort((a, b) => a.horizonMinutes - b.horizonMinutes)[0];
    const limit = t.name.toLowerCase().includes('nasa') ? 0.85 : 1;
    const target = `forecast WAPE ≤ ${limit.toFixed(2)} × the best of ${BASELINES.join(', ')}`;
    const wape = (m: string): number => f?.scores.find((s) => s.model === m)?.wape ?? Number.NaN;
    const best = Math.min(...BASELINES.map(wape).filter(Number.isFinite));
    const ours = wape('bountybot');
    if (f === undefined || !Number.isFinite(ours) || !Number.isFinite(best)) {
      rows.push({ target, where: t.name, measured: 'not measured', pass: null });
      continue;
    }
    const bestName = BASELINES.find((m) => wape(m) === best) ?? '';
    const ratio = ours / best;
    rows.push({
      target, where: `${t.name}, H = ${f.horizonMinutes} min`,
      measured: `${(ours * 100).toFixed(2)} % / ${(best * 100).toFixed(2)} % (${bestName}) = ${ratio.toFixed(3)}×`, pass: ratio <= limit,
    });
  }
  return rows;
}
