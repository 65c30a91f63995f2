export declare const NASA_TRACE: string;
export interface SimBenchOptions {
    tracePath?: string;
    peakLoad?: number;
    policies?: readonly string[];
}
export declare function runSimBench(opts?: SimBenchOptions): Promise<string>;
