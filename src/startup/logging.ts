/** pino JSON logs, one shape for the controller and the workers. */
import { dirname } from 'node:path';
import { destination, pino, type Logger } from 'pino';
import { makeDirs } from '../adapters/make-dirs.js';
import { UsageError } from '../autoscaling/errors.js';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface LoggerOptions {
  /** Default: `BOUNTYBOT_LOG_LEVEL`, else 'info'. */
  level?: string;
  /** Append to this file instead of stdout. */
  file?: string;
}

/** A wrong level falls back to 'info' with a warning. */
export function createLogger(component: string, extra: Record<string, unknown> = {}, opts: LoggerOptions = {}): Logger {
  const wanted = opts.level ?? process.env.BOUNTYBOT_LOG_LEVEL ?? 'info';
  const ok = (LEVELS as readonly string[]).includes(wanted);
  const options = { level: ok ? wanted : 'info', base: { component, pid: process.pid, ...extra } };
  const logger = opts.file !== undefined ? pino(options, openLogFile(opts.file)) : pino(options);
  if (!ok) logger.warn({ BOUNTYBOT_LOG_LEVEL: wanted, allowed: LEVELS }, 'unknown log level; using info');
  return logger;
}

function openLogFile(file: string): ReturnType<typeof destination> {
  try {
    makeDirs(dirname(file));
    return destination({ dest: file, append: true, sync: true });
  } catch (err) {
    throw new UsageError(`cannot write log file ${JSON.stringify(file)}: ${err instanceof Error ? err.message : String(err)}`,
      { code: 'LOG_FILE_UNWRITABLE', cause: err });
  }
}
