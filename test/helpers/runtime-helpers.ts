/** Shared by the runtime/reliability tests: polling instead of fixed sleeps, child-process cleanup. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface CliProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Node arguments that run `bountybot` from the TypeScript sources. */
export const CLI_NODE_ARGS: readonly string[] = ['--import', 'tsx', 'src/cli/bin.ts'];

/** Runs `bountybot <args>` from the TypeScript sources, as the tests are meant to. */
export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, opts: { detached?: boolean } = {}): CliProcess {
  const child = spawn(process.execPath, [...CLI_NODE_ARGS, ...args], {
    cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached === true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => res({ code, signal }));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** SIGKILLs every pid still alive (afterAll safety net). */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** `"job finished"` debug lines of worker logs: how often each job was completed by a worker (outcome 'completed'). */
export function completionsByJob(logText: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of logText.split('\n')) {
    if (!line.includes('"job finished"')) continue;
    const rec = JSON.parse(line) as { jobId: number; outcome: string };
    if (rec.outcome === 'completed') out.set(rec.jobId, (out.get(rec.jobId) ?? 0) + 1);
  }
  return out;
}

/**
 * Like completionsByJob, also counting `duplicate` outcomes: after a Redis outage a worker's own
 * completion can come back `duplicate` (its command ran, the reply was lost, the client re-sent it).
 */
export function endingsByJob(logText: string): Map<string, { completed: number; duplicate: number }> {
  const out = new Map<string, { completed: number; duplicate: number }>();
  for (const line of logText.split('\n')) {
    if (!line.includes('"job finished"')) continue;
    const rec = JSON.parse(line) as { jobId: string | number; outcome: string };
    const e = out.get(String(rec.jobId)) ?? { completed: 0, duplicate: 0 };
    if (rec.outcome === 'completed') e.completed++;
    else if (rec.outcome === 'duplicate') e.duplicate++;
    out.set(String(rec.jobId), e);
  }
  return out;
}
