/** pino JSON logs, one shape for the controller and the workers. */
import { destination, pino } from 'pino';
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** A wrong level falls back to 'info' with a warning. */
export function createLogger(component, extra = {}, opts = {}) {
    const wanted = opts.level ?? process.env.BOUNTYBOT_LOG_LEVEL ?? 'info';
    const ok = LEVELS.includes(wanted);
    const options = { level: ok ? wanted : 'info', base: { component, pid: process.pid, ...extra } };
    const logger = opts.file !== undefined
        ? pino(options, destination({ dest: opts.file, append: true, mkdir: true, sync: true }))
        : pino(options);
    if (!ok)
        logger.warn({ BOUNTYBOT_LOG_LEVEL: wanted, allowed: LEVELS }, 'unknown log level; using info');
    return logger;
}
//# sourceMappingURL=logging.js.map