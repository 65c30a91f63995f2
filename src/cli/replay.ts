/**
 * `bountybot replay`: turns the arrivals a queue has recorded into a trace CSV
 * (`timestamp,count` per bin) for `simulate` and `tune`. Reads the queue through the JobHistory
 * port (the SQLite queue here); only whole bins are written.
 */
import type { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { SqliteStore } from '../adapters/sqlite-store.js';
import type { JobHistory } from '../control/ports.js';
import { formatTraceCsv, replayArrivals, type ReplayResult } from '../sim/replay.js';
import { UsageError } from './main.js';
import { decimal } from './options.js';

interface ReplayCliOptions {
  db: string;
  since?: string;
  until?: string;
  binSeconds: number;
  out?: string;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('write the arrivals recorded in a queue as a trace CSV "timestamp,count" for simulate and tune')
    .requiredOption('--db <path>', 'SQLite database of the queue (database_path)')
    .option('--since <time>', 'ISO 8601 time or epoch ms (default: the first job on record)')
    .option('--until <time>', 'ISO 8601 time or epoch ms (default: now); the bin holding it is left out')
    .option('--bin-seconds <s>', 'bin width, whole seconds', decimal({ min: 1, max: 86_400, integer: true }), 60)
    .option('--out <file>', 'write the CSV here instead of stdout')
    .action(async (opts: ReplayCliOptions) => {
      await runReplayCommand(opts, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
    });
}

function parseTime(flag: string, raw: string): number {
  const t = /^\d+$/.test(raw.trim()) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(t)) throw new UsageError(`${flag} must be an ISO 8601 time or epoch milliseconds; got ${JSON.stringify(raw)}`);
  return t;
}

/** Writes the trace; returns the number of jobs in it. */
export async function runReplayCommand(opts: ReplayCliOptions, write: (t: string) => void, note: (t: string) => void): Promise<number> {
  const bin = opts.binSeconds;
  if (!existsSync(opts.db)) throw new UsageError(`--db: database not found: ${opts.db}`);
  const store = SqliteStore.open({ path: opts.db });
  try {
    return await replayTo(store.jobHistory, opts, bin * 1000, write, note);
  } finally {
    store.close();
  }
}

async function replayTo(history: JobHistory, opts: ReplayCliOptions, binMs: number, write: (t: string) => void, note: (t: string) => void): Promise<number> {
  const first = await history.firstArrival();
  if (opts.since === undefined && first === undefined) throw new UsageError(`--db: no job on record in ${opts.db}; nothing to replay`);
  const fromMs = opts.since !== undefined ? parseTime('--since', opts.since) : (first as Date).getTime();
  const toMs = opts.until !== undefined ? parseTime('--until', opts.until) : Date.now();
  let result: ReplayResult;
  try {
    result = await replayArrivals(history, { fromMs, toMs, binMs });
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
  const csv = formatTraceCsv(result);
  const jobs = result.counts.reduce((a, b) => a + b, 0);
  if (opts.out !== undefined) writeFileSync(opts.out, csv);
  else write(csv);
  note(`replayed ${jobs} jobs in ${result.counts.length} bins of ${binMs / 1000} s from ${new Date(result.startMs).toISOString()}` +
    `${opts.out !== undefined ? ` into ${opts.out}` : ''}\n`);
  return jobs;
}
