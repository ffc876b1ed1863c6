import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The credentials the API accepts. */
export interface Credentials {
  readonly apiKey: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Lifetime of OAuth access tokens, in seconds (fractions allowed, for tests). */
  readonly tokenTtlSeconds: number;
}

export const DEFAULT_CREDENTIALS: Credentials = {
  apiKey: 'lp_demo_key',
  clientId: 'strata-demo',
  clientSecret: 'lp_demo_secret',
  tokenTtlSeconds: 3600,
};

/** Why a request was refused: an error code (`WWW-Authenticate` style) and a message. */
export interface AuthFailure {
  readonly error: 'unauthorized' | 'invalid_token' | 'invalid_client' | 'unsupported_grant_type' | 'invalid_request';
  readonly message: string;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks API keys and issues and checks OAuth2 client-credentials tokens. Token lifetimes use the
 * wall clock (`clock`), not the simulated one.
 */
export class Authenticator {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly credentials: Credentials,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Answers a token request (form or JSON fields; the client may also authenticate with HTTP Basic).
   * Returns the token response or why it was refused.
   */
  issue(fields: Readonly<Record<string, unknown>>, authorization: string | undefined): { access_token: string; token_type: 'Bearer'; expires_in: number } | AuthFailure {
    if (fields.grant_type !== 'client_credentials') {
      return { error: 'unsupported_grant_type', message: `grant_type must be "client_credentials", got ${JSON.stringify(fields.grant_type ?? null)}` };
    }
    let id = fields.client_id;
    let secret = fields.client_secret;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString();
      const colon = decoded.indexOf(':');
      if (colon > 0) [id, secret] = [decodeURIComponent(decoded.slice(0, colon)), decodeURIComponent(decoded.slice(colon + 1))];
    }
    if (typeof id !== 'string' || typeof secret !== 'string') {
      return { error: 'invalid_request', message: 'client_id and client_secret are required (in the body or as HTTP Basic credentials)' };
    }
    if (!same(id, this.credentials.clientId) || !same(secret, this.credentials.clientSecret)) {
      return { error: 'invalid_client', message: `unknown client "${id}" or wrong client_secret` };
    }
    const now = this.clock();
    for (const [token, expires] of this.tokens) if (expires <= now) this.tokens.delete(token);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, now + this.credentials.tokenTtlSeconds * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: Math.ceil(this.credentials.tokenTtlSeconds) };
  }

  /** Checks a request's credentials: `X-API-Key`, `?api_key=` or `Authorization: Bearer`. Undefined when accepted. */
  check(headers: Readonly<Record<string, string | string[] | undefined>>, query: Readonly<Record<string, unknown>>): AuthFailure | undefined {
    const authorization = headers.authorization;
    if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
      const token = authorization.slice(7).trim();
      const expires = this.tokens.get(token);
      if (expires === undefined) return { error: 'invalid_token', message: 'the access token is unknown; get one from POST /oauth/token' };
      if (expires <= this.clock()) {
        return { error: 'invalid_token', message: `the access token expired at ${new Date(expires).toISOString()}; get a new one from POST /oauth/token` };
      }
      return undefined;
    }
    const header = headers['x-api-key'];
    const key = typeof header === 'string' ? header : typeof query.api_key === 'string' ? query.api_key : undefined;
    if (key === undefined) {
      return { error: 'unauthorized', message: 'missing credentials: send an X-API-Key header, an api_key query parameter or Authorization: Bearer <token>' };
    }
    if (!same(key, this.credentials.apiKey)) return { error: 'unauthorized', message: 'the API key is not valid' };
    return undefined;
  }
}
