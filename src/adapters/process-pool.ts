/**
 * Actuator `process-pool`: scales by spawning and SIGTERM-ing `bountybot worker` processes on this
 * machine. Readiness comes from the worker registry (each worker reports `ready` in the store),
 * which is also how a restarted controller finds the workers its predecessor left running and
 * adopts them instead of spawning a second fleet.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { UsageError } from '../autoscaling/errors.js';
import type { Actuator, FleetState } from '../control/interfaces.js';
import { silentLogger, type Logger, type WorkerRegistry, type WorkerRow } from '../control/ports.js';


export interface ProcessPoolOptions {
  registry: WorkerRegistry;
  /** This controller instance; recorded with every worker it spawns or adopts. */
  controllerId: string;
  /** Executable and arguments that start one worker; the pool appends `--worker-id ID --managed`. */
  command: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Worker stdout/stderr: a file path (appended), 'inherit' or 'ignore'. Default 'ignore'. */
  output?: string;
  /** Hard cap whatever the target says. */
  maxWorkers: number;
  /** A worker not ready this long after spawn is killed and replaced, ms. Default 60000. */
  startTimeoutMs?: number;
  /** A draining worker still alive this long after SIGTERM is SIGKILLed, ms. Default 45000. */
  stopTimeoutMs?: number;
  /** A ready worker whose heartbeat is older than this is considered hung and replaced, ms. Default 30000. */
  heartbeatStaleMs?: number;
  /** Housekeeping period (readiness, deaths, timeouts), ms. Default 500. */
  refreshMs?: number;
  logger?: Logger;
  now?: () => number;
}

type PoolState = 'starting' | 'ready' | 'draining';

interface Tracked {
  workerId: string;
  pid: number;
  /** Undefined for adopted workers (not our children): death is detected by probing the pid. */
  child?: ChildProcess;
  state: PoolState;
  since: number;
  adopted: boolean;
  /** Spawned while the registry was unreachable: its row still has to name this controller. */
  unclaimed?: boolean;
}

export interface AdoptionReport {
  adopted: string[];
  /** Registry rows whose process was gone (marked stopped). */
  gone: string[];
}


export class ProcessPool implements Actuator {
  private readonly o: Required<Omit<ProcessPoolOptions, 'env' | 'cwd'>> & Pick<ProcessPoolOptions, 'env' | 'cwd'>;
  private readonly workers = new Map<string, Tracked>();
  private target = 0;
  private seq = 0;
  private outputFd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly crashes: number[] = [];
  private spawnNotBefore = 0;
  private closed = false;
  private refreshing: Promise<void> | undefined;
  private reconciling: Promise<void> = Promise.resolve();

  constructor(opts: ProcessPoolOptions) {
    this.o = {
      output: 'ignore', startTimeoutMs: 60_000, stopTimeoutMs: 45_000, heartbeatStaleMs: 30_000,
      refreshMs: 500, logger: silentLogger, now: Date.now, ...opts,
    };
    if (!(Number.isInteger(opts.maxWorkers) && opts.maxWorkers >= 0)) {
      throw new RangeError(`maxWorkers must be an integer >= 0; got ${String(opts.maxWorkers)}`);
    }
  }

  /** Adopts live workers recorded in the registry (a previous controller's) and starts housekeeping. */
  async start(): Promise<AdoptionReport> {
    const o = this.o.output;
    if (o !== 'ignore' && o !== 'inherit') this.outputFd = openOutput(o);
    const report: AdoptionReport = { adopted: [], gone: [] };
    for (const row of await this.o.registry.listWorkers(['starting', 'ready', 'draining'])) {
      if (row.controllerId === undefined) continue; // started by hand: not ours to manage
      if (row.host !== undefined && row.host !== hostname()) continue; // another host's process: its pid means nothing here
      if (isLiveWorker(row.pid, row.workerId)) {
        this.workers.set(row.workerId, {
          workerId: row.workerId, pid: row.pid, state: row.state === 'stopped' ? 'draining' : row.state,
          since: this.o.now(), adopted: true,
        });
        report.adopted.push(row.workerId);
      } else {
        await this.o.registry.setWorkerState(row.workerId, 'stopped');
        report.gone.push(row.workerId);
      }
    }
    if (report.adopted.length > 0) await this.o.registry.adoptWorkers(report.adopted, this.o.controllerId);
    this.target = Math.min(this.o.maxWorkers, this.counts().provisioned);
    if (report.adopted.length + report.gone.length > 0) {
      this.o.logger.info({ ...report, target: this.target }, 'adopted workers left by a previous controller');
    }
    this.timer = setInterval(() => { void this.refresh(); }, this.o.refreshMs);
    return report;
  }

  async fleet(): Promise<FleetState> {
    await this.refresh();
    return this.counts();
  }

  async scaleTo(target: number, reasoning: readonly string[]): Promise<FleetState> {
    if (this.closed) throw new Error('process pool is closed');
    const clamped = Math.max(0, Math.min(this.o.maxWorkers, Math.floor(Number.isFinite(target) ? target : 0)));
    this.o.logger.info({ from: this.counts().provisioned, to: clamped, reasoning }, 'scaling worker pool');
    this.target = clamped;
    await this.reconcile();
    return this.counts();
  }

  /** The worker each tracked process is, for status pages and tests. */
  list(): Array<{ workerId: string; pid: number; state: PoolState; adopted: boolean }> {
    return [...this.workers.values()].map(({ workerId, pid, state, adopted }) => ({ workerId, pid, state, adopted }));
  }

  /** Drains every worker (SIGTERM), waits up to `timeoutMs`, SIGKILLs what is left. */
  async stopAll(timeoutMs = this.o.stopTimeoutMs): Promise<void> {
    this.target = 0;
    for (const w of this.workers.values()) this.drainWorker(w);
    const deadline = this.o.now() + timeoutMs;
    while (this.workers.size > 0 && this.o.now() < deadline) {
      await delay(100);
      await this.refresh();
    }
    for (const w of [...this.workers.values()]) {
      this.o.logger.warn({ workerId: w.workerId, pid: w.pid }, 'worker did not stop in time; SIGKILL');
      signal(w.pid, 'SIGKILL');
      await this.forget(w, 'killed at shutdown');
    }
  }

  /** Stops housekeeping and leaves workers running (a restarted controller adopts them). */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.workers.values()) w.child?.unref();
    if (this.outputFd !== undefined) closeSync(this.outputFd);
    this.outputFd = undefined;
  }

  private counts(): FleetState {
    let starting = 0, ready = 0, draining = 0;
    for (const w of this.workers.values()) {
      if (w.state === 'starting') starting++;
      else if (w.state === 'ready') ready++;
      else draining++;
    }
    return { provisioned: starting + ready, ready, draining };
  }

  /** Serialized: the timer and callers never run two refreshes at once. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    if (this.closed && this.workers.size === 0) return;
    try {
      const rows = new Map((await this.o.registry.listWorkers()).map((r) => [r.workerId, r] as const));
      const now = this.o.now();
      for (const w of [...this.workers.values()]) await this.check(w, rows.get(w.workerId), now);
      if (!this.closed) await this.reconcile();
    } catch (err) {
      this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'pool refresh failed');
    }
  }

  private async check(w: Tracked, row: WorkerRow | undefined, now: number): Promise<void> {
    if (w.unclaimed && row !== undefined) {
      await this.o.registry.adoptWorkers([w.workerId], this.o.controllerId);
      w.unclaimed = false;
    }
    if (w.adopted && !isLiveWorker(w.pid, w.workerId)) {
      await this.forget(w, w.state === 'draining' ? undefined : 'adopted worker exited');
      return;
    }
    if (row?.state === 'stopped' && w.child === undefined) {
      await this.forget(w, undefined);
      return;
    }
    if (w.state === 'starting' && row?.state === 'ready') {
      w.state = 'ready';
      w.since = now;
    } else if (w.state === 'starting' && now - w.since > this.o.startTimeoutMs) {
      this.o.logger.warn({ workerId: w.workerId, pid: w.pid }, 'worker not ready in time; killing and replacing it');
      signal(w.pid, 'SIGKILL');
      await this.forget(w, 'start timeout');
    } else if (w.state === 'ready' && row !== undefined && now - row.heartbeatAt.getTime() > this.o.heartbeatStaleMs) {
      this.o.logger.warn({ workerId: w.workerId, pid: w.pid }, 'worker heartbeat stale (hung?); killing and replacing it');
      signal(w.pid, 'SIGKILL');
      await this.forget(w, 'heartbeat stale');
    } else if (w.state === 'draining' && now - w.since > this.o.stopTimeoutMs) {
      this.o.logger.warn({ workerId: w.workerId, pid: w.pid }, 'draining worker did not exit; SIGKILL');
      signal(w.pid, 'SIGKILL');
      if (w.adopted) await this.forget(w, undefined);
    }
  }

  /**
   * Serialized, and counts re-read before every spawn (a spawn registers the worker before its
   * first await): concurrent callers (timer, scaleTo, exit events) can never over-spawn.
   */
  private reconcile(): Promise<void> {
    const run = this.reconciling.then(() => this.doReconcile());
    this.reconciling = run.catch(() => undefined);
    return run;
  }

  private async doReconcile(): Promise<void> {
    const { provisioned } = this.counts();
    if (provisioned > this.target) {
      for (const w of this.pickToStop(provisioned - this.target)) this.drainWorker(w);
      return;
    }
    let guard = this.o.maxWorkers;
    while (!this.closed && this.counts().provisioned < this.target && this.o.now() >= this.spawnNotBefore && guard-- > 0) {
      await this.spawnWorker();
    }
  }

  /** Starting workers first (no work lost), then ready ones, newest first. */
  private pickToStop(n: number): Tracked[] {
    const live = [...this.workers.values()].filter((w) => w.state !== 'draining');
    live.sort((a, b) => (a.state === b.state ? b.since - a.since : a.state === 'starting' ? -1 : 1));
    return live.slice(0, n);
  }

  private drainWorker(w: Tracked): void {
    if (w.state === 'draining') return;
    w.state = 'draining';
    w.since = this.o.now();
    signal(w.pid, 'SIGTERM');
    void this.o.registry.setWorkerState(w.workerId, 'draining').catch(() => undefined);
  }

  private async spawnWorker(): Promise<void> {
    const workerId = `w-${this.o.controllerId.slice(0, 8)}-${++this.seq}-${randomBytes(2).toString('hex')}`;
    const out = this.outputFd ?? (this.o.output === 'inherit' ? 'inherit' : 'ignore');
    let child: ChildProcess;
    try {
      child = spawn(this.o.command, [...this.o.args, '--worker-id', workerId, '--managed'], {
        cwd: this.o.cwd, env: this.o.env ?? process.env, detached: true, stdio: ['ignore', out, out],
      });
    } catch (err) {
      this.noteCrash(`spawn failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const pid = child.pid;
    if (pid === undefined) {
      child.once('error', (err) => this.o.logger.error({ err: err.message, command: this.o.command }, 'cannot start worker'));
      this.noteCrash('spawn failed (no pid)');
      return;
    }
    const tracked: Tracked = { workerId, pid, child, state: 'starting', since: this.o.now(), adopted: false };
    this.workers.set(workerId, tracked);
    child.once('exit', (code, sig) => { void this.onExit(tracked, code, sig); });
    child.on('error', (err) => this.o.logger.warn({ workerId, err: err.message }, 'worker process error'));
    try {
      await this.o.registry.registerSpawn(workerId, pid, this.o.controllerId);
    } catch (err) {
      // The registry is unreachable (a store outage): the worker reports in itself once it is back,
      // and the next refresh claims its row for this controller.
      tracked.unclaimed = true;
      this.o.logger.warn({ workerId, err: err instanceof Error ? err.message : String(err) }, 'could not record the spawned worker yet');
    }
  }

  private async onExit(w: Tracked, code: number | null, sig: NodeJS.Signals | null): Promise<void> {
    if (!this.workers.has(w.workerId)) return;
    const expected = w.state === 'draining';
    if (!expected) this.o.logger.warn({ workerId: w.workerId, pid: w.pid, code, signal: sig }, 'worker exited unexpectedly; replacing it');
    await this.forget(w, expected ? undefined : `exited (code ${String(code)}, signal ${String(sig)})`);
    if (!this.closed) {
      await this.reconcile().catch((err: unknown) =>
        this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not replace the worker yet; the next refresh retries'));
    }
  }

  /** Drops a worker; `crash` (a reason) counts toward the crash-loop backoff. */
  private async forget(w: Tracked, crash: string | undefined): Promise<void> {
    if (!this.workers.delete(w.workerId)) return;
    if (crash !== undefined) this.noteCrash(crash);
    await this.o.registry.setWorkerState(w.workerId, 'stopped').catch(() => undefined);
  }

  /** More than 3 crashes within a minute: wait before respawning, doubling up to 30 s. */
  private noteCrash(reason: string): void {
    const now = this.o.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && (this.crashes[0] as number) < now - 60_000) this.crashes.shift();
    if (this.crashes.length > 3) {
      const wait = Math.min(30_000, 1000 * 2 ** (this.crashes.length - 4));
      this.spawnNotBefore = now + wait;
      this.o.logger.error({ reason, crashesLastMinute: this.crashes.length, waitMs: wait }, 'workers keep crashing; backing off before respawning');
    }
  }
}

function openOutput(file: string): number {
  try {
    return openSync(file, 'a');
  } catch (err) {
    throw new UsageError(`cannot write the worker log ${JSON.stringify(file)}: ${err instanceof Error ? err.message : String(err)}`,
      { code: 'WORKER_LOG_UNWRITABLE', cause: err });
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(pid, sig); } catch { /* already gone */ }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * True when `pid` is alive and (where /proc exists) really is worker `workerId`, so a recycled
 * pid is never adopted or signalled as ours.
 */
export function isLiveWorker(pid: number, workerId: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline === '') return false; // zombie: exited, not yet reaped
    return cmdline.split('\0').includes(workerId);
  } catch {
    return true; // no /proc (macOS): trust the pid probe and the registry
  }
}
