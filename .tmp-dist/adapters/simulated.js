/** Virtual time: reads the simulator's clock. The simulator calls `tick()` itself, so this clock never sleeps. */
export class SimulatedClock {
    system;
    constructor(system) {
        this.system = system;
    }
    now() {
        return new Date(this.system.nowEpochMs());
    }
    sleep() {
        return Promise.reject(new Error('SimulatedClock cannot sleep: the simulator drives ControlLoop.tick() from its event loop'));
    }
}
export class SimulatedMetricsSource {
    system;
    constructor(system) {
        this.system = system;
    }
    read(now) {
        return Promise.resolve(this.system.observe(now));
    }
}
export class SimulatedActuator {
    system;
    constructor(system) {
        this.system = system;
    }
    fleet() {
        return Promise.resolve(this.system.fleetState());
    }
    scaleTo(target) {
        try {
            return Promise.resolve(this.system.scaleTo(target));
        }
        catch (err) {
            return Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
    }
}
//# sourceMappingURL=simulated.js.map