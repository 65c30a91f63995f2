import type { ControllerStore, DecisionRecord } from '../control/interfaces.js';
import type { SpendEntry, SpendLedger, StateStore, WorkerRegistry, WorkerRow, WorkerState } from '../runtime/ports.js';
import { SqliteJobQueue, type RetryPolicy } from './sqlite-queue.js';
export declare const DEFAULT_DATABASE_PATH = "./data/bountybot.db";
export interface SqliteStoreOptions {
    /** Database file; parent directories are created. ':memory:' for a private in-memory store. */
    path: string;
    /** Milliseconds since the epoch; injectable so tests control lease expiry and windows. */
    now?: () => number;
    /** How long a writer waits for another process's lock, ms. Default 5000. */
    busyTimeoutMs?: number;
    /**
     * 'NORMAL' (default) survives any process crash (SIGKILL); 'FULL' also survives power loss
     * at the cost of an fsync per commit.
     */
    synchronous?: 'NORMAL' | 'FULL';
    retry?: Partial<RetryPolicy>;
    /** Decisions kept in the audit log (older ones are pruned). Default 10000. */
    decisionRetention?: number;
}
/** The database could not be opened or written; the message says where and why. */
export declare class StoreOpenError extends Error {
    constructor(message: string);
}
export declare class SqliteStore implements ControllerStore, StateStore, SpendLedger, WorkerRegistry {
    readonly path: string;
    readonly queue: SqliteJobQueue;
    private readonly db;
    private readonly now;
    private readonly retention;
    private appendsSincePrune;
    private readonly st;
    private constructor();
    /** Opens (creating directories, file and schema as needed) and checks it can write. */
    static open(opts: SqliteStoreOptions): SqliteStore;
    close(): void;
    get isOpen(): boolean;
    loadState(key: string): Promise<string | undefined>;
    saveState(key: string, value: string): Promise<void>;
    appendDecision(r: DecisionRecord): Promise<void>;
    recentDecisions(limit: number): Promise<DecisionRecord[]>;
    /** Counts of decisions by action since `since` (the whole log when omitted). */
    decisionCounts(since?: Date): Record<DecisionRecord['action'], number>;
    appendSpend(e: SpendEntry): Promise<void>;
    spendBetween(from: Date, to: Date): Promise<{
        workerSeconds: number;
        dollars: number;
    }>;
    lastSpendAt(): Promise<Date | undefined>;
    registerSpawn(workerId: string, pid: number, controllerId: string): Promise<void>;
    reportWorker(workerId: string, pid: number, state: WorkerState, busy: number, jobsDone: number): Promise<void>;
    setWorkerState(workerId: string, state: WorkerState): Promise<void>;
    listWorkers(states?: readonly WorkerState[]): Promise<WorkerRow[]>;
    getWorker(workerId: string): Promise<WorkerRow | undefined>;
    adoptWorkers(workerIds: readonly string[], controllerId: string): Promise<void>;
    pruneWorkers(olderThanMs: number): Promise<number>;
    /** Counts of live workers by state, from the registry (every process, whoever started it). */
    workerCounts(): {
        starting: number;
        ready: number;
        draining: number;
    };
}
