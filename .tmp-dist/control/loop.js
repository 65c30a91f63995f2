export const POLICY_STATE_KEY = 'policy-state';
export class ControlLoop {
    opts;
    lastSpendAt;
    lastPaidWorkers = 0;
    ticks = 0;
    constructor(opts) {
        if (!(opts.intervalMs > 0))
            throw new Error(`intervalMs must be > 0; got ${String(opts.intervalMs)}`);
        this.opts = opts;
    }
    /** Restores the policy's learned state from the store, if both support it. */
    async restore() {
        const { store, policy } = this.opts;
        if (!store || !policy.importState)
            return false;
        const saved = await store.loadState(POLICY_STATE_KEY);
        if (saved === undefined)
            return false;
        policy.importState(saved);
        return true;
    }
    /** One evaluation. Never throws: failures are reported in the result and nothing is actuated. */
    async tick() {
        const { clock, source, actuator, policy, store } = this.opts;
        const now = clock.now();
        let fleet = { provisioned: 0, ready: 0, draining: 0 };
        let result;
        try {
            fleet = await actuator.fleet();
            this.accrueSpend(now, fleet);
            const observation = await source.read(now);
            const decision = policy.decide({ now, observation, fleet });
            const { target, reasons } = this.applyGates(decision.targetWorkers, fleet, now);
            const reasoning = [...decision.reasoning, ...reasons];
            const dryRun = this.opts.dryRun === true;
            let applied;
            if (!dryRun && target !== fleet.provisioned) {
                fleet = await actuator.scaleTo(target, reasoning);
                applied = target;
                this.lastPaidWorkers = fleet.provisioned + fleet.draining;
            }
            const record = {
                at: now, action: decision.action, currentWorkers: observation.activeWorkers,
                targetWorkers: decision.targetWorkers, appliedWorkers: target, reasoning, dryRun,
            };
            if (store) {
                await store.appendDecision(record);
                await this.maybeSaveState(store, policy);
            }
            result = { at: now, observation, fleet, decision: { ...decision, reasoning }, ...(applied !== undefined ? { applied } : {}) };
        }
        catch (err) {
            result = { at: now, fleet, error: err instanceof Error ? err.message : String(err) };
        }
        this.ticks++;
        this.opts.onTick?.(result);
        return result;
    }
    /** Ticks every `intervalMs` until `signal` aborts. */
    async run(signal) {
        while (!signal.aborted) {
            const started = this.opts.clock.now().getTime();
            await this.tick();
            const elapsed = this.opts.clock.now().getTime() - started;
            await this.opts.clock.sleep(Math.max(0, this.opts.intervalMs - elapsed), signal);
        }
    }
    accrueSpend(now, fleet) {
        const paid = fleet.provisioned + fleet.draining;
        if (this.lastSpendAt !== undefined && this.opts.policy.recordSpend) {
            const seconds = (now.getTime() - this.lastSpendAt.getTime()) / 1000;
            // Workers are paid from the moment requested: the head-count after the last actuation held until now.
            if (seconds > 0)
                this.opts.policy.recordSpend(this.lastPaidWorkers * seconds, now);
        }
        this.lastSpendAt = now;
        this.lastPaidWorkers = paid;
    }
    applyGates(target, fleet, now) {
        const reasons = [];
        let t = target;
        for (const gate of this.opts.gates ?? []) {
            const out = gate.apply(t, fleet, now);
            if (out.target !== t || out.reason)
                reasons.push(out.reason ?? `${gate.name}: target ${t} -> ${out.target}`);
            t = out.target;
        }
        if (this.opts.dryRun)
            reasons.push(`dry-run: would scale ${fleet.provisioned} -> ${t}, not acting`);
        return { target: t, reasons };
    }
    async maybeSaveState(store, policy) {
        const every = this.opts.saveStateEveryTicks ?? 1;
        if (policy.exportState && this.ticks % every === 0) {
            await store.saveState(POLICY_STATE_KEY, policy.exportState());
        }
    }
}
//# sourceMappingURL=loop.js.map