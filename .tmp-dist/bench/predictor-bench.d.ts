export declare function runPredictorBench(): Promise<string>;
