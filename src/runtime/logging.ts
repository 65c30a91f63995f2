/** pino JSON logs, one shape for the controller and the workers. */
import { pino, type Logger } from 'pino';

export type { Logger };

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Level from `BOUNTYBOT_LOG_LEVEL` (default 'info'); a wrong value falls back to 'info' with a warning. */
export function createLogger(component: string, extra: Record<string, unknown> = {}, level?: string): Logger {
  const wanted = level ?? process.env.BOUNTYBOT_LOG_LEVEL ?? 'info';
  const ok = (LEVELS as readonly string[]).includes(wanted);
  const logger = pino({ level: ok ? wanted : 'info', base: { component, pid: process.pid, ...extra } });
  if (!ok) logger.warn({ BOUNTYBOT_LOG_LEVEL: wanted, allowed: LEVELS }, 'unknown log level; using info');
  return logger;
}
