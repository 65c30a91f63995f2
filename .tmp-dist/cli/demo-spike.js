export function runSpikeDemo() {}
