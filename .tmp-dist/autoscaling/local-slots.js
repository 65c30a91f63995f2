/**
 * Maps instants to the predictor's seasonal slots (5-minute slots of the local week and day).
 * Time-zone offsets come from `Calendar`; they are cached per 15-minute UTC bucket because every
 * real-world offset (and so every DST switch) falls on a 15-minute boundary.
 */
import { Calendar } from './calendar.js';
export const SLOT_MINUTES = 5;
export const SLOT_MS = SLOT_MINUTES * 60_000;
export const WEEK_SLOTS = (7 * 1440) / SLOT_MINUTES; // 2016
export const DAY_SLOTS = 1440 / SLOT_MINUTES; // 288
const BUCKET_MS = 15 * 60_000;
const CACHE_SIZE = 8;
/** 1970-01-01 (epoch day 0) was a Thursday: 3 days after a Monday. */
const EPOCH_MINUTE_OF_WEEK = 3 * 1440;
export class LocalSlots {
    timezone;
    calendar;
    cacheKeys = new Float64Array(CACHE_SIZE).fill(Number.NaN);
    cacheOffsets = new Float64Array(CACHE_SIZE);
    cacheNext = 0;
    constructor(timezone = 'UTC') {
        this.timezone = timezone;
        if (timezone === 'UTC' || timezone === 'Etc/UTC') {
            this.calendar = undefined;
            return;
        }
        try {
            this.calendar = new Calendar(timezone);
            this.calendar.parts(0);
        }
        catch {
            throw new RangeError(`timezone must be an IANA time zone name, got ${JSON.stringify(timezone)}`);
        }
    }
    /** Offset of local time from UTC at `atMs`, milliseconds. */
    offsetMs(atMs) {
        if (this.calendar === undefined)
            return 0;
        const bucket = Math.floor(atMs / BUCKET_MS);
        for (let i = 0; i < CACHE_SIZE; i++) {
            if (this.cacheKeys[i] === bucket)
                return this.cacheOffsets[i] ?? 0;
        }
        const offset = this.calendar.parts(bucket * BUCKET_MS).offsetMs;
        const at = this.cacheNext;
        this.cacheKeys[at] = bucket;
        this.cacheOffsets[at] = offset;
        this.cacheNext = (at + 1) % CACHE_SIZE;
        return offset;
    }
    /** Weekly and daily slot of the instant `atMs` (local Monday 00:00 = week slot 0). */
    slotAt(atMs) {
        const localMinute = Math.floor((atMs + this.offsetMs(atMs)) / 60_000);
        const minuteOfWeek = (((localMinute + EPOCH_MINUTE_OF_WEEK) % 10_080) + 10_080) % 10_080;
        const week = Math.floor(minuteOfWeek / SLOT_MINUTES);
        return { week, day: week % DAY_SLOTS };
    }
    /**
     * Calls `visit(slot, minutes)` for each slot overlapping [startMs, endMs), in order.
     * Chunks follow the 5-minute UTC grid, which coincides with the local slot grid.
     */
    forEachSlot(startMs, endMs, visit) {
        let at = startMs;
        while (at < endMs) {
            const slotStart = Math.floor(at / SLOT_MS) * SLOT_MS;
            const chunkEnd = Math.min(endMs, slotStart + SLOT_MS);
            visit(this.slotAt(at), (chunkEnd - at) / 60_000, slotStart);
            at = chunkEnd;
        }
    }
}
//# sourceMappingURL=local-slots.js.map