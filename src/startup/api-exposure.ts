/**
 * Start-up checks of the control API's exposure (the runtime side of issue 7 §3.11): a blank
 * BOUNTYBOT_API_TOKEN must not silently switch the control API off, and a token short enough to
 * guess must not guard an API reachable from other machines.
 */
import { ConfigError } from '../autoscaling/errors.js';
import { API_TOKEN_ENV } from '../server/auth.js';

/** Shortest token accepted when the server binds a non-loopback address. */
export const MIN_EXPOSED_TOKEN_LENGTH = 16;

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Throws ConfigError naming the setting when the control API would be exposed unsafely. */
export function checkControlApiExposure(host: string, token: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const fromEnv = env[API_TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv.trim() === '') {
    throw new ConfigError(`${API_TOKEN_ENV} is set but blank; set a real token or unset it (a blank token would silently disable the control API)`);
  }
  if (token !== undefined && token.trim() === '') {
    throw new ConfigError('api_token is blank; set a real token or remove the key');
  }
  if (token !== undefined && !isLoopbackHost(host) && token.length < MIN_EXPOSED_TOKEN_LENGTH) {
    throw new ConfigError(`the API token must be at least ${MIN_EXPOSED_TOKEN_LENGTH} characters while the HTTP server listens on `
      + `${JSON.stringify(host)}, beyond loopback; got ${token.length} (use a longer token, or bind 127.0.0.1)`);
  }
}
