/**
 * Calendar arithmetic in UTC or an IANA time zone, without reading the clock.
 * Used for budget periods (hour, day, month) and the predictor's week/day slots.
 */
export interface CalendarParts {
    year: number;
    /** 1..12 */
    month: number;
    /** 1..31 */
    day: number;
    /** 0 = Monday … 6 = Sunday (ISO order, as Python's weekday()). */
    weekday: number;
    hour: number;
    minute: number;
    second: number;
    /** Offset of local time from UTC at this instant, milliseconds. */
    offsetMs: number;
}
export type BudgetPeriodName = 'hourly' | 'daily' | 'monthly';
export declare class Calendar {
    readonly timezone: string;
    private readonly isUtc;
    private readonly format;
    constructor(timezone?: string);
    parts(atMs: number): CalendarParts;
    /** Minutes since local Monday 00:00 (0 … 10079). */
    minuteOfWeek(atMs: number): number;
    /** Start and end (exclusive) of the hour, day or month containing `atMs`, as epoch milliseconds. */
    periodBounds(period: BudgetPeriodName, atMs: number): {
        startMs: number;
        endMs: number;
    };
    /** Converts a local wall time (encoded as if UTC) to epoch ms, correcting across DST changes. */
    private localToUtc;
}
