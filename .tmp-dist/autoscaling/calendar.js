/**
 * Calendar arithmetic in UTC or an IANA time zone, without reading the clock.
 * Used for budget periods (hour, day, month) and the predictor's week/day slots.
 */
const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
export class Calendar {
    timezone;
    isUtc;
    format;
    constructor(timezone = 'UTC') {
        this.timezone = timezone;
        this.isUtc = timezone === 'UTC' || timezone === 'Etc/UTC';
        this.format = this.isUtc
            ? undefined
            : new Intl.DateTimeFormat('en-US', {
                timeZone: timezone,
                hourCycle: 'h23',
                year: 'numeric', month: 'numeric', day: 'numeric',
                hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
            });
    }
    parts(atMs) {
        if (this.format === undefined) {
            const d = new Date(atMs);
            return {
                year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
                weekday: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours(), minute: d.getUTCMinutes(),
                second: d.getUTCSeconds(), offsetMs: 0,
            };
        }
        const fields = {};
        for (const p of this.format.formatToParts(new Date(atMs)))
            fields[p.type] = p.value;
        const year = Number(fields.year), month = Number(fields.month), day = Number(fields.day);
        const hour = Number(fields.hour), minute = Number(fields.minute), second = Number(fields.second);
        const localAsUtc = Date.UTC(year, month - 1, day, hour, minute, second);
        const wholeSecondMs = atMs - (((atMs % 1000) + 1000) % 1000);
        return {
            year, month, day, hour, minute, second,
            weekday: WEEKDAYS[fields.weekday ?? 'Mon'] ?? 0,
            offsetMs: localAsUtc - wholeSecondMs,
        };
    }
    /** Minutes since local Monday 00:00 (0 … 10079). */
    minuteOfWeek(atMs) {
        const p = this.parts(atMs);
        return p.weekday * 1440 + p.hour * 60 + p.minute;
    }
    /** Start and end (exclusive) of the hour, day or month containing `atMs`, as epoch milliseconds. */
    periodBounds(period, atMs) {
        const p = this.parts(atMs);
        let startLocal;
        let endLocal;
        if (period === 'hourly') {
            startLocal = Date.UTC(p.year, p.month - 1, p.day, p.hour);
            endLocal = startLocal + 3_600_000;
        }
        else if (period === 'daily') {
            startLocal = Date.UTC(p.year, p.month - 1, p.day);
            endLocal = Date.UTC(p.year, p.month - 1, p.day + 1);
        }
        else {
            startLocal = Date.UTC(p.year, p.month - 1, 1);
            endLocal = Date.UTC(p.year, p.month, 1);
        }
        return { startMs: this.localToUtc(startLocal, p.offsetMs), endMs: this.localToUtc(endLocal, p.offsetMs) };
    }
    /** Converts a local wall time (encoded as if UTC) to epoch ms, correcting across DST changes. */
    localToUtc(localAsUtcMs, hintOffsetMs) {
        if (this.isUtc)
            return localAsUtcMs;
        let guess = localAsUtcMs - hintOffsetMs;
        for (let i = 0; i < 2; i++) {
            const offset = this.parts(guess).offsetMs;
            const next = localAsUtcMs - offset;
            if (next === guess)
                break;
            guess = next;
        }
        return guess;
    }
}
//# sourceMappingURL=calendar.js.map