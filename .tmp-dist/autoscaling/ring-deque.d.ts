/** FIFO ring buffer for time-windowed samples (O(1) push/shift): that grows by doubling up to `cap`; beyond it the oldest item is dropped. */
export declare class RingDeque<T> {
    private readonly cap;
    private items;
    private head;
    private count;
    constructor(cap: number);
    get size(): number;
    get capacity(): number;
    push(item: T): void;
    shift(): T | undefined;
    at(i: number): T | undefined;
    first(): T | undefined;
    last(): T | undefined;
    /** Replaces the newest item. */
    setLast(item: T): void;
    [Symbol.iterator](): IterableIterator<T>;
    clear(): void;
    private grow;
}
