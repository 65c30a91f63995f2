import type { SimulationResult, SimulationRun, SimulationSettings, WorkloadInfo } from './types.js';
export interface ReportOptions {
    title?: string;
    /** The SLO line of the latency chart (default: the first run's summary.sloSeconds). */
    sloSeconds?: number;
    workload?: WorkloadInfo;
    settings?: SimulationSettings;
    /** The command line that produced the run, shown verbatim. */
    command?: string;
    /** Most points per chart series (default 2000). */
    maxPoints?: number;
    /** "Generated at" time (default now); injectable for reproducible output. */
    generatedAt?: Date;
}
export declare function escapeHtml(text: string): string;
/** JSON safe inside a <script> element: no "</script", "<!--" or line separators survive. */
export declare function scriptJson(value: unknown): string;
/** The Chart.js UMD bundle from node_modules. */
export declare function chartJsBundle(): string;
export declare function renderReport(runs: readonly SimulationRun[], opts?: ReportOptions): string;
/** Writes the report of `runs` to `path` (the `simulate --report` hook). */
export declare function writeReport(path: string, runs: readonly SimulationRun[], opts?: ReportOptions): void;
/** Report options taken from a whole simulation result. */
export declare function reportOptionsFor(result: SimulationResult, extra?: Omit<ReportOptions, 'workload' | 'settings'>): ReportOptions;
/** The `simulate --report` hook (src/cli/simulate.ts loads this export): the whole result as one page. */
export declare function renderSimulationReport(result: SimulationResult, extra?: Omit<ReportOptions, 'workload' | 'settings'>): string;
