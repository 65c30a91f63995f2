/**
 * Built-in workloads for the seed's use cases, as traces of expected arrivals per 1-minute bin
 * (the simulator draws the actual jobs from them with the run's seed). All start on a Monday
 * 00:00 UTC (2025-01-06) except campaign-spike, which starts at 08:00.
 * - campaign-spike: 6 h at 3 arrivals/min; at 09:00 a campaign drops 100 extra reports within
 *   one minute. The seed's "fixed 3 workers" is the default for `fixed`.
 * - nights-weekends: 2 weeks, 1,000 validations per weekday (busy 08–18 h, low nights),
 *   300 per weekend day: the seed's cost-table workload. `fixed` defaults to the seed's 10
 *   workers. (The seed's 3–8 workers imply validations of several minutes: try --peak-load 8.)
 * - monday-spike: 4 weeks of a weekday pattern (12/min by day, 1.5/min at night, 4/min on
 *   weekend days) with a regular Monday 09:00–10:00 spike at 48/min, so a forecaster can learn
 *   it and scale up before 09:00.
 */
import { buildTrace } from './trace.js';
const MINUTE = 60_000;
const DAY_MINUTES = 1440;
const MONDAY = Date.UTC(2025, 0, 6);
/** Relative weekday intensity per hour: nights 1, shoulders 3, office hours 8. */
function officeHourWeight(hour) {
    if (hour >= 8 && hour < 18)
        return 8;
    if (hour === 7 || (hour >= 18 && hour < 21))
        return 3;
    return 1;
}
function fromRates(name, startMs, minutes, perMinute) {
    const times = new Array(minutes);
    const counts = new Array(minutes);
    for (let m = 0; m < minutes; m++) {
        times[m] = startMs + m * MINUTE;
        counts[m] = perMinute(m);
    }
    return buildTrace(name, times, counts);
}
function campaignSpike() {
    return {
        name: 'campaign-spike',
        description: '100 reports at once (09:00) on top of 3/min, against a 3-worker fleet; 6 hours',
        fixedWorkers: 3,
        trace: fromRates('campaign-spike', MONDAY + 8 * 3_600_000, 6 * 60, (m) => 3 + (m === 60 ? 100 : 0)),
    };
}
function nightsWeekends() {
    let weekdayWeight = 0;
    for (let h = 0; h < 24; h++)
        weekdayWeight += officeHourWeight(h) * 60;
    return {
        name: 'nights-weekends',
        description: '1,000 validations per weekday (office hours), 300 per weekend day; 2 weeks',
        fixedWorkers: 10,
        trace: fromRates('nights-weekends', MONDAY, 14 * DAY_MINUTES, (m) => {
            const day = Math.floor(m / DAY_MINUTES) % 7;
            const hour = Math.floor((m % DAY_MINUTES) / 60);
            const perDay = day >= 5 ? 300 : 1000;
            return (perDay * officeHourWeight(hour)) / weekdayWeight;
        }),
    };
}
function mondaySpike() {
    return {
        name: 'monday-spike',
        description: 'weekday pattern with a regular Monday 09:00-10:00 spike (4x); 4 weeks',
        trace: fromRates('monday-spike', MONDAY, 28 * DAY_MINUTES, (m) => {
            const day = Math.floor(m / DAY_MINUTES) % 7;
            const hour = Math.floor((m % DAY_MINUTES) / 60);
            if (day === 0 && hour === 9)
                return 48;
            const w = officeHourWeight(hour);
            if (day >= 5)
                return w >= 3 ? 4 : 1.5;
            return w === 8 ? 12 : w === 3 ? 6 : 1.5;
        }),
    };
}
const BUILDERS = {
    'campaign-spike': campaignSpike,
    'nights-weekends': nightsWeekends,
    'monday-spike': mondaySpike,
};
export const SCENARIO_NAMES = Object.keys(BUILDERS);
/** The named scenario, or undefined for an unknown name. */
export function buildScenario(name) {
    return BUILDERS[name]?.();
}
//# sourceMappingURL=scenarios.js.map