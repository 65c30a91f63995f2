/**
 * `bountybot/queue`: the producer API for your own services. Enqueue validations into the queue
 * bountybot's workers consume — the SQLite file on one machine, or Redis (BullMQ) shared by any
 * number of hosts — one at a time or in batches, each with an optional idempotency key: the same
 * key twice is one job (the second call returns the first job's id), so a retried request never
 * validates a report twice.
 *
 *   const q = await openValidationQueue('redis://10.0.0.5:6379?name=validations');
 *   const id = await q.enqueue({ reportId: 'r-42' }, { key: 'r-42' });
 *   await q.enqueueBatch([{ payload: { reportId: 'r-43' }, key: 'r-43' }]);
 *   await q.close();
 *
 * Against Redis a call fails fast (after `commandTimeoutMs`) rather than hang when Redis is
 * unreachable; retry it with the same keys.
 */
import type { JobId, QueueStateCounts } from '../control/ports.js';
import { openBackend, type QueueBackend } from '../startup/backend.js';
import { parseQueueUrl } from '../startup/queue-url.js';

export type { JobId, QueueStateCounts };

export interface EnqueueValidationOptions {
  /** Idempotency key (1-200 characters): the same key again adds nothing and returns the first id. */
  key?: string;
  /** Attempts before the job is dead-lettered. Default 5. */
  maxAttempts?: number;
}

export interface ValidationItem {
  /** Anything JSON-serialisable: your handler's `validate(job)` receives it as `job.payload`. */
  payload: unknown;
  key?: string;
}

export interface ValidationQueue {
  /** Where the jobs go (the URL without a password). */
  readonly target: string;
  enqueue(payload: unknown, opts?: EnqueueValidationOptions): Promise<JobId>;
  /** One round trip (one transaction on SQLite); ids in order, a repeated key gives the first job's id. */
  enqueueBatch(items: readonly ValidationItem[], opts?: { maxAttempts?: number }): Promise<JobId[]>;
  /** Every job by state: enqueued = waiting + active + delayed + failed + completed + deadLettered + purged. */
  stats(): Promise<QueueStateCounts>;
  close(): Promise<void>;
}

export interface OpenValidationQueueOptions {
  /** Redis: a command not answered within this fails, ms. Default 2000. */
  commandTimeoutMs?: number;
}

/** Opens `sqlite:PATH` or `redis://HOST:PORT[/DB][?name=QUEUE]`. */
export async function openValidationQueue(url: string, opts: OpenValidationQueueOptions = {}): Promise<ValidationQueue> {
  const parsed = parseQueueUrl(url, 'queue url');
  const backend: QueueBackend = await openBackend(parsed, 'producer', opts);
  return {
    target: parsed.display,
    enqueue: (payload, o = {}) => backend.queue.enqueue(payload, o),
    enqueueBatch: (items, o = {}) => backend.queue.enqueueBatch(items.map((i) => i.payload), {
      ...o, keys: items.map((i) => i.key),
    }),
    stats: () => backend.queue.stateCounts(),
    close: () => backend.close(),
  };
}
