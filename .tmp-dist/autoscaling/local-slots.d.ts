export declare const SLOT_MINUTES = 5;
export declare const SLOT_MS: number;
export declare const WEEK_SLOTS: number;
export declare const DAY_SLOTS: number;
export interface SlotIndex {
    week: number;
    day: number;
}
export declare class LocalSlots {
    readonly timezone: string;
    private readonly calendar;
    private readonly cacheKeys;
    private readonly cacheOffsets;
    private cacheNext;
    constructor(timezone?: string);
    /** Offset of local time from UTC at `atMs`, milliseconds. */
    offsetMs(atMs: number): number;
    /** Weekly and daily slot of the instant `atMs` (local Monday 00:00 = week slot 0). */
    slotAt(atMs: number): SlotIndex;
    /**
     * Calls `visit(slot, minutes)` for each slot overlapping [startMs, endMs), in order.
     * Chunks follow the 5-minute UTC grid, which coincides with the local slot grid.
     */
    forEachSlot(startMs: number, endMs: number, visit: (slot: SlotIndex, minutes: number, slotStartMs: number) => void): void;
}
