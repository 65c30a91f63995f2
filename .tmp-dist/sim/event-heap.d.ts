/**
 * Binary min-heap of timed simulator events in typed arrays: no allocation per event.
 * Ties on time are broken by insertion order, so the event order is fully deterministic.
 */
export declare class EventHeap {
    private times;
    private seqs;
    private payloads;
    private count;
    private nextSeq;
    constructor(capacity?: number);
    get size(): number;
    /** Time of the earliest event, or +Infinity when empty. */
    peekTime(): number;
    peekPayload(): number;
    push(time: number, payload: number): void;
    /** Removes the earliest event and returns its payload (-1 when empty). */
    pop(): number;
    private grow;
}
