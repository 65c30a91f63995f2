/**
 * Public types of the autoscaling core. Everything here is data: no I/O, no clocks.
 * Names follow the v2.9.0 brief (camelCase for its snake_case Python names).
 */
/** Wall-clock `Clock`, the default wherever a clock is optional. */
export const systemClock = () => new Date();
export const ScalingAction = {
    SCALE_UP: 'scale_up',
    SCALE_DOWN: 'scale_down',
    NO_CHANGE: 'no_change',
};
//# sourceMappingURL=types.js.map