/**
 * The arrival rate (demand, per minute) the engine sizes the fleet for: the forecast now, its peak
 * one worker start-up ahead, and a measured burst far beyond the forecast.
 */
import type { ScalingConfig } from './scaling-config.js';

/**
 * A burst: the last minute's arrivals are ≥ `ratio` × the forecast and beyond `sigmas` of its
 * Poisson noise. Sizing then moves `weight` of the way toward the measurement; a burst that lasts
 * a minute (as on the Azure LLM trace) is mostly absorbed by the backlog term, so following it
 * fully buys workers that arrive after it has passed. Chosen on the shared traces (BENCHMARKS.md).
 */
export const BURST = Object.freeze({ ratio: 2, sigmas: 5, weight: 0.5 });

/** The peak search looks at most this many windows ahead, whatever the horizon. */
const MAX_PEAK_WINDOWS = 60;

/** What the demand estimate needs from the predictor. */
export interface DemandForecaster {
  readonly sampleCount: number;
  forecastMeanRate(fromMinutes: number, toMinutes: number): number;
}

/** Arrival rates (per minute) the sizing considers, with the reasons that explain them. */
export interface DemandEstimate {
  near: number;
  ahead: number;
  planned: number;
  reasons: string[];
}

type DemandSettings = Pick<ScalingConfig, 'workerStartupSeconds' | 'predictionHorizonMinutes'>;

/** Whether `measured` is a burst beyond the forecast `near`, and the rate sizing then uses. */
export function burstDemand(measured: number, near: number): { burst: boolean; rate: number } {
  const burst = measured > BURST.ratio * near && measured > near + BURST.sigmas * Math.sqrt(Math.max(near, 1));
  return { burst, rate: near + BURST.weight * (measured - near) };
}

/**
 * Highest mean forecast over one-minute windows in (start, start + span]: workers asked for now
 * are ready at `start` and must carry the peak of what follows, not its average (a spike at 09:00
 * must not be diluted by the quiet minutes before it). Spans beyond an hour use wider windows.
 */
export function peakForecastRate(f: DemandForecaster, startMinutes: number, spanMinutes: number): number {
  const width = Math.max(1, spanMinutes / MAX_PEAK_WINDOWS);
  let peak = 0;
  for (let from = startMinutes; from < startMinutes + spanMinutes - 1e-9; from += width) {
    const to = Math.min(from + width, startMinutes + spanMinutes);
    peak = Math.max(peak, f.forecastMeanRate(from, to));
  }
  return peak;
}

/**
 * The arrival rate to size for: the forecast (now, and its peak one start-up ahead) once the
 * forecaster has history, the measurement before that.
 */
export function estimateDemand(f: DemandForecaster, measuredRate: number, cfg: DemandSettings): DemandEstimate {
  const startupMinutes = cfg.workerStartupSeconds / 60;
  if (f.sampleCount < 10) return { near: measuredRate, ahead: 0, planned: measuredRate, reasons: [] };
  const near = f.forecastMeanRate(0, Math.max(startupMinutes, 0.25));
  const ahead = peakForecastRate(f, startupMinutes, cfg.predictionHorizonMinutes);
  // The forecast's level needs about a minute of evidence to jump (level-shift.ts); a burst far
  // beyond it is sized on partly before that.
  const { burst, rate: burstRate } = burstDemand(measuredRate, near);
  const reasons: string[] = [];
  if (burst) {
    reasons.push(`Burst: ${measuredRate.toFixed(2)}/min measured, ${(measuredRate / Math.max(near, 1e-9)).toFixed(1)}× the forecast's ${near.toFixed(2)}/min; sizing on ${burstRate.toFixed(2)}/min`);
  }
  if (ahead > near * 1.05) {
    reasons.push(`Forecast: up to ${ahead.toFixed(2)}/min expected ${cfg.workerStartupSeconds}–${cfg.workerStartupSeconds + cfg.predictionHorizonMinutes * 60}s ahead (now ${near.toFixed(2)}/min)`);
  }
  return { near, ahead, planned: Math.max(near, ahead, burst ? burstRate : 0), reasons };
}
