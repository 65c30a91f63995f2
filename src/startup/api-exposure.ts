/**
 * The control API's exposure, checked again at launch: `run --host` can move the server beyond
 * loopback after the config (which checks its own http_host) was loaded.
 */
import { ConfigError } from '../autoscaling/errors.js';
import { exposedTokenProblem } from '../config/schema.js';

/** Throws ConfigError when a short token would guard an API reachable from other machines. */
export function checkControlApiExposure(host: string, token: string | undefined): void {
  if (token !== undefined && token.trim() === '') {
    throw new ConfigError('api_token is blank; set a real token or remove the key');
  }
  const problem = exposedTokenProblem(host, token);
  if (problem !== null) throw new ConfigError(`the API token ${problem} (use a longer token, or bind 127.0.0.1)`);
}
