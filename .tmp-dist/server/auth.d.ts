export declare const API_TOKEN_ENV = "BOUNTYBOT_API_TOKEN";
export declare const CONTROL_DISABLED_MESSAGE = "control API disabled: set api_token or BOUNTYBOT_API_TOKEN";
/**
 * The token in force: `BOUNTYBOT_API_TOKEN` when set and non-blank (so a secret can stay out of
 * the config file and be rotated without editing it), else the config's `api_token`. Blank
 * values count as unset: an empty token must never open the API.
 */
export declare function resolveApiToken(configToken: string | undefined, env?: Readonly<Record<string, string | undefined>>): string | undefined;
export type AuthResult = {
    ok: true;
} | {
    ok: false;
    status: 401 | 403;
    message: string;
};
/** Checks an `Authorization` header value against the configured token (undefined = API disabled). */
export declare function checkBearer(header: string | undefined, token: string | undefined): AuthResult;
/**
 * Compares fixed-length digests so neither the content nor the length of the expected token
 * leaks through timing (timingSafeEqual alone requires equal lengths).
 */
export declare function constantTimeEqual(a: string, b: string): boolean;
