export function createFixedPolicy(workers, name = 'fixed') {
    if (!Number.isInteger(workers) || workers < 0)
        throw new Error(`fixed workers must be an integer >= 0; got ${String(workers)}`);
    return {
        name,
        decide(input) {
            const current = input.fleet.provisioned;
            return {
                targetWorkers: workers,
                reasoning: [`fixed capacity: ${workers} workers`],
                action: workers > current ? 'scale_up' : workers < current ? 'scale_down' : 'no_change',
            };
        },
    };
}
//# sourceMappingURL=fixed.js.map