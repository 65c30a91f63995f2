export declare function runQueueBench(jobs?: number): Promise<string>;
