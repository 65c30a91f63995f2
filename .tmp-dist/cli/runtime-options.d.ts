export declare function parseNumberOption(flag: string, raw: string | undefined, rule: (v: number) => boolean, ruleText: string): number | undefined;
export declare const isPositiveInt: (v: number) => boolean;
export declare const isPositive: (v: number) => boolean;
export declare const isNonNegative: (v: number) => boolean;
export declare const isPort: (v: number) => boolean;
/** Resolves when SIGINT/SIGTERM arrives the first time; a second one calls `onSecond`. */
export declare function onShutdownSignal(onFirst: (signal: NodeJS.Signals) => void, onSecond: (signal: NodeJS.Signals) => void): () => void;
