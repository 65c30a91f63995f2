/**
 * CPU and memory readings of this process and machine, for the metrics collector (the pure core
 * takes them as an injected `ResourceSampler`).
 */
import os from 'node:os';
import type { ResourceSampler } from '../autoscaling/collector.js';

const clampPercent = (v: number): number => Math.min(100, Math.max(0, v));

/** CPU: this process's CPU time per wall time since the previous reading, over all cores; memory: the system's in use. */
export function createProcessResourceSampler(): ResourceSampler {
  let lastCpu = process.cpuUsage();
  let lastWallNs = process.hrtime.bigint();
  let lastCpuPercent = 0;
  return () => {
    const wallNs = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const wallMicros = Number(wallNs - lastWallNs) / 1000;
    // Readings closer than 10 ms apart are mostly rounding; keep the previous one.
    if (wallMicros >= 10_000) {
      const usedMicros = cpu.user - lastCpu.user + (cpu.system - lastCpu.system);
      const cores = Math.max(1, os.cpus().length);
      lastCpuPercent = clampPercent((usedMicros / (wallMicros * cores)) * 100);
      lastCpu = cpu;
      lastWallNs = wallNs;
    }
    const total = os.totalmem();
    const memoryUsage = total > 0 ? clampPercent(((total - os.freemem()) / total) * 100) : 0;
    return { cpuUsage: lastCpuPercent, memoryUsage };
  };
}
