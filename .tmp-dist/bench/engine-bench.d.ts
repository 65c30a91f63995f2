export interface EngineBenchResult {
    samples: number;
    decisions: number;
    p50Micros: number;
    p99Micros: number;
    meanMicros: number;
    maxMicros: number;
    markdown: string;
}
export declare function runEngineBench(opts?: {
    samples?: number;
    decisions?: number;
    warmup?: number;
}): EngineBenchResult;
