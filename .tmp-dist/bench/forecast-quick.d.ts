import { type WorkloadPredictorOptions } from '../autoscaling/predictor.js';
export interface TraceBin {
    startMs: number;
    /** Requests per minute over the bin. */
    rate: number;
}
export declare function readTrace(path: string): {
    bins: TraceBin[];
    binMinutes: number;
};
export interface AccuracyRow {
    method: string;
    wape: number;
}
export declare function walkForward(bins: TraceBin[], binMinutes: number, horizonMinutes: number, options?: WorkloadPredictorOptions): {
    rows: AccuracyRow[];
    scored: number;
};
