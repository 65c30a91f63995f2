/**
 * `bountybot queue stats`: every job of a queue (SQLite or Redis) by state, each job in exactly
 * one, so an operator can check that nothing was lost: enqueued = waiting + active + delayed +
 * failed + completed + deadLettered + purged (`unaccounted` is the difference, 0 when nothing is lost).
 */
import { Command } from 'commander';
import { DEFAULT_DATABASE_PATH } from '../adapters/sqlite-store.js';
import type { QueueStateCounts } from '../control/ports.js';
import { openBackend } from '../startup/backend.js';
import { sqliteQueueUrl, type QueueUrl } from '../startup/queue-url.js';
import { queueOption } from './options.js';


export interface QueueStatsReport extends QueueStateCounts {
  queue: string;
  unaccounted: number;
}

export async function queueStats(url: QueueUrl): Promise<QueueStatsReport> {
  const backend = await openBackend(url, 'producer', { commandTimeoutMs: 10_000 });
  try {
    const c = await backend.queue.stateCounts();
    const sum = c.waiting + c.active + c.delayed + c.failed + c.completed + c.deadLettered + c.purged;
    return { queue: url.display, ...c, unaccounted: c.enqueued - sum };
  } finally {
    await backend.close();
  }
}

export function registerQueue(program: Command): void {
  const queue = program.command('queue').description('inspect a job queue (SQLite or Redis)');
  queue
    .command('stats')
    .description('every job by state; each job is in exactly one, so enqueued = the sum when nothing was lost')
    .addOption(queueOption(`sqlite:${DEFAULT_DATABASE_PATH}`))
    .option('--json', 'one JSON object')
    .action(async (opts: { queue?: QueueUrl; json?: boolean }) => {
      const url = opts.queue ?? sqliteQueueUrl(DEFAULT_DATABASE_PATH);
      const r = await queueStats(url);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(r)}\n`);
        return;
      }
      const rows: Array<[string, number]> = [
        ['enqueued', r.enqueued], ['waiting', r.waiting], ['active', r.active], ['delayed', r.delayed], ['failed (retry pending)', r.failed],
        ['completed', r.completed], ['dead-lettered', r.deadLettered], ['purged (retention)', r.purged], ['unaccounted', r.unaccounted],
      ];
      process.stdout.write(`${r.queue}\n${rows.map(([k, v]) => `  ${k.padEnd(24)} ${v}`).join('\n')}\n`);
    });
}
