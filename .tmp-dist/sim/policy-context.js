/** Most SLO misses a run may have and still reach `sloTarget` attainment. */
export function allowedMisses(jobs, sloTarget) {
    return jobs - Math.ceil(sloTarget * jobs - 1e-9);
}
export function meetsSlo(run, sloTarget) {
    return run.aborted === undefined && run.summary.jobs - Math.round(run.summary.sloAttainment * run.summary.jobs) <= allowedMisses(run.summary.jobs, sloTarget);
}
//# sourceMappingURL=policy-context.js.map