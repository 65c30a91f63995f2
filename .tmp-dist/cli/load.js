import { DEFAULT_DATABASE_PATH, SqliteStore, StoreOpenError } from '../adapters/sqlite-store.js';
import { runLoad, windowPlan } from '../runtime/load-generator.js';
import { buildScenario, SCENARIO_NAMES } from '../sim/scenarios.js';
import { loadTraceFile, TraceError } from '../sim/trace.js';
import { buildWorkload, WorkloadError } from '../sim/workload.js';
import { UsageError } from './main.js';
import { isNonNegative, isPositive, onShutdownSignal, parseNumberOption } from './runtime-options.js';
export function registerLoad(program) {
    program
        .command('load')
        .description('enqueue validation jobs following a trace or scenario, time-compressed, into the live queue')
        .option('--trace <file>', 'CSV trace (timestamp,count per bin)')
        .option('--scenario <name>', `built-in scenario: ${SCENARIO_NAMES.join(', ')}`)
        .option('--speed <x>', 'trace seconds replayed per wall-clock second', '1')
        .option('--db <path>', 'SQLite database of the controller', DEFAULT_DATABASE_PATH)
        .option('--scale <f>', 'multiply every bin count by this factor')
        .option('--seed <n>', 'seed for spreading arrivals inside a bin', '1')
        .option('--start-minute <m>', 'skip the first M minutes of the trace', '0')
        .option('--minutes <n>', 'replay only N minutes of the trace (default: to the end)')
        .option('--quiet', 'no progress lines')
        .action(async (opts) => {
        const plan = buildLoadPlan(opts);
        const speed = parseNumberOption('--speed', opts.speed, isPositive, 'a number > 0');
        let store;
        try {
            store = SqliteStore.open({ path: opts.db });
        }
        catch (err) {
            throw err instanceof StoreOpenError ? new UsageError(err.message) : err;
        }
        const abort = new AbortController();
        const off = onShutdownSignal(() => abort.abort(), () => process.exit(130));
        const wallSeconds = plan.endMs / speed / 1000;
        if (!opts.quiet) {
            process.stdout.write(`load: ${plan.arrivalMs.length} jobs from ${plan.source} over ${fmt(plan.endMs / 1000)} of trace time `
                + `(${fmt(wallSeconds)} at ${speed}x) into ${store.path}\n`);
        }
        let lastPrint = 0;
        try {
            const n = await runLoad(store.queue, plan, {
                speed, signal: abort.signal,
                onProgress: (p) => {
                    if (opts.quiet || Date.now() - lastPrint < 5000)
                        return;
                    lastPrint = Date.now();
                    process.stdout.write(`load: ${p.enqueued}/${p.total} enqueued, trace time ${fmt(p.traceMs / 1000)}\n`);
                },
            });
            if (!opts.quiet)
                process.stdout.write(`load: done, ${n} jobs enqueued${abort.signal.aborted ? ' (interrupted)' : ''}\n`);
        }
        finally {
            off();
            store.close();
        }
    });
}
export function buildLoadPlan(opts) {
    if ((opts.trace === undefined) === (opts.scenario === undefined)) {
        throw new UsageError('give exactly one of --trace FILE or --scenario NAME');
    }
    let trace;
    if (opts.scenario !== undefined) {
        const sc = buildScenario(opts.scenario);
        if (!sc)
            throw new UsageError(`unknown scenario ${JSON.stringify(opts.scenario)}; choose one of ${SCENARIO_NAMES.join(', ')}`);
        trace = sc.trace;
    }
    else {
        try {
            trace = loadTraceFile(opts.trace);
        }
        catch (err) {
            throw err instanceof TraceError ? new UsageError(err.message) : err;
        }
    }
    const scale = parseNumberOption('--scale', opts.scale, isPositive, 'a number > 0');
    const seed = parseNumberOption('--seed', opts.seed, Number.isSafeInteger, 'an integer');
    const startMinute = parseNumberOption('--start-minute', opts.startMinute, isNonNegative, 'a number >= 0');
    const minutes = parseNumberOption('--minutes', opts.minutes, isPositive, 'a number > 0');
    let workload;
    try {
        workload = buildWorkload(trace, { ...(scale !== undefined ? { scale } : {}), serviceTimeSeconds: 1, serviceCv: 0, seed });
    }
    catch (err) {
        throw err instanceof WorkloadError ? new UsageError(err.message) : err;
    }
    const full = { source: trace.source, arrivalMs: workload.arrivalMs, endMs: trace.endMs };
    const from = startMinute * 60_000;
    if (from >= trace.endMs)
        throw new UsageError(`--start-minute ${startMinute} is past the end of the trace (${fmt(trace.endMs / 1000)})`);
    return windowPlan(full, from, minutes !== undefined ? minutes * 60_000 : trace.endMs - from);
}
function fmt(seconds) {
    if (seconds < 120)
        return `${Math.round(seconds)} s`;
    if (seconds < 7200)
        return `${(seconds / 60).toFixed(1)} min`;
    return `${(seconds / 3600).toFixed(1)} h`;
}
//# sourceMappingURL=load.js.map