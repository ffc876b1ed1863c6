import type { AuthConfig } from './config.ts';
import { tokenError } from './errors.ts';
import { parseRetryAfter, withRetries } from './retry.ts';
import type { RetryPolicy } from './retry.ts';

/** Adds credentials to requests. */
export interface Auth {
  /** Query parameters holding secrets, redacted from messages and state. */
  readonly secretParams: readonly string[];
  /**
   * Adds the credentials to a request (fetching an OAuth2 token when none is valid) and returns what
   * identifies them, to be handed to `renew` if the server answers 401.
   */
  apply(url: URL, headers: Headers, signal: AbortSignal): Promise<string | undefined>;
  /** Drops the credentials `used` so the next `apply` gets fresh ones; false when they cannot be renewed. */
  renew(used: string | undefined): boolean;
}

export interface AuthDeps {
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
}

/** The credentials of `config` (none when undefined). */
export function createAuth(config: AuthConfig | undefined, deps: AuthDeps): Auth {
  switch (config?.type) {
    case undefined:
      return staticAuth(() => undefined);
    case 'api_key': {
      const { header, query, value } = config;
      if (query !== undefined) {
        return staticAuth((url) => url.searchParams.set(query, value), [query]);
      }
      return staticAuth((_, headers) => headers.set(header ?? 'X-API-Key', value));
    }
    case 'bearer':
      return staticAuth((_, headers) => headers.set('Authorization', `Bearer ${config.token}`));
    case 'basic': {
      const encoded = Buffer.from(`${config.username}:${config.password}`, 'utf8').toString('base64');
      return staticAuth((_, headers) => headers.set('Authorization', `Basic ${encoded}`));
    }
    case 'oauth2_client_credentials':
      return new ClientCredentials(config, deps);
  }
}

function staticAuth(add: (url: URL, headers: Headers) => void, secretParams: readonly string[] = []): Auth {
  return {
    secretParams,
    apply(url, headers) {
      add(url, headers);
      return Promise.resolve(undefined);
    },
    renew: () => false,
  };
}

type ClientCredentialsConfig = Extract<AuthConfig, { type: 'oauth2_client_credentials' }>;

interface Token {
  readonly accessToken: string;
  /** performance.now() after which the token is renewed before use. */
  readonly renewAt: number;
}

/**
 * OAuth2 client credentials: the token is fetched with a form-encoded POST, shared by concurrent
 * requests, renewed shortly before `expires_in` runs out, and renewed once when a request gets 401.
 */
class ClientCredentials implements Auth {
  readonly secretParams: readonly string[] = [];
  private token: Token | undefined;
  private pending: Promise<Token> | undefined;

  constructor(
    private readonly config: ClientCredentialsConfig,
    private readonly deps: AuthDeps,
  ) {}

  async apply(_url: URL, headers: Headers, signal: AbortSignal): Promise<string> {
    let token = this.token;
    if (token === undefined || performance.now() >= token.renewAt) {
      this.pending ??= this.fetchToken(signal).finally(() => (this.pending = undefined));
      token = await this.pending;
      this.token = token;
    }
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    return token.accessToken;
  }

  renew(used: string | undefined): boolean {
    // Several requests may fail with the same token: only the first drops it.
    if (this.token?.accessToken === used) this.token = undefined;
    return true;
  }

  private fetchToken(signal: AbortSignal): Promise<Token> {
    const { token_url: url, client_id, client_secret, scope, audience } = this.config;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret });
    if (scope !== undefined) form.set('scope', scope);
    if (audience !== undefined) form.set('audience', audience);
    return withRetries(this.deps.retry, signal, async () => {
      const started = performance.now();
      let response: Response;
      let text: string;
      try {
        response = await this.deps.fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: form.toString(),
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.deps.timeoutMs)]),
        });
        text = await response.text();
      } catch (cause) {
        if (signal.aborted) throw cause;
        return { ok: false, fail: (n) => tokenError(url, { cause }, n) };
      }
      const status = response.status;
      if (status === 429 || status >= 500) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        return { ok: false, fail: (n) => tokenError(url, { status, body: text }, n), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      }
      if (!response.ok) throw tokenError(url, { status, body: text }, 0);
      return { ok: true, value: parseToken(url, status, text, started) };
    });
  }
}

// Renew a minute before expiry, or after 90 % of a short lifetime.
function parseToken(url: string, status: number, text: string, started: number): Token {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw tokenError(url, { status, body: `the answer is not JSON: ${text}` }, 0);
  }
  const { access_token: accessToken, expires_in: expiresIn } = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw tokenError(url, { status, body: `the answer has no access_token: ${text}` }, 0);
  }
  const lifetime = Number(expiresIn);
  if (expiresIn === undefined || expiresIn === null || !Number.isFinite(lifetime) || lifetime <= 0) {
    return { accessToken, renewAt: Number.POSITIVE_INFINITY };
  }
  const margin = Math.min(60, lifetime * 0.1);
  return { accessToken, renewAt: started + (lifetime - margin) * 1000 };
}
