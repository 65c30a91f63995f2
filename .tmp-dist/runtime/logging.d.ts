/** pino JSON logs, one shape for the controller and the workers. */
import { type Logger } from 'pino';
export type { Logger };
export interface LoggerOptions {
    /** Default: `BOUNTYBOT_LOG_LEVEL`, else 'info'. */
    level?: string;
    /** Append to this file instead of stdout. */
    file?: string;
}
/** A wrong level falls back to 'info' with a warning. */
export declare function createLogger(component: string, extra?: Record<string, unknown>, opts?: LoggerOptions): Logger;
