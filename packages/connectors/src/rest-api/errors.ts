import { ConnectorError } from '../errors.ts';

// Query parameters that commonly carry secrets, redacted besides the configured api-key parameter.
const SECRET_PARAMS = ['api_key', 'apikey', 'api-key', 'access_token', 'client_secret', 'token', 'password'];

/**
 * The URL as it may be shown or stored: user info removed and the values of secret query parameters
 * (the configured api-key parameter and well-known ones) replaced with `***`.
 */
export function redactUrl(url: URL | string, secretParams: readonly string[] = []): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  const secrets = new Set([...SECRET_PARAMS, ...secretParams].map((p) => p.toLowerCase()));
  const redacted = new URLSearchParams();
  let changed = false;
  for (const [k, v] of u.searchParams) {
    const secret = secrets.has(k.toLowerCase());
    changed ||= secret;
    redacted.append(k, secret ? '***' : v);
  }
  if (changed) u.search = redacted.toString();
  return u.toString();
}

/** The first 200 characters of a response body, on one line. */
export function bodySnippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function retries(n: number): string {
  return `after ${n} ${n === 1 ? 'retry' : 'retries'}`;
}

/**
 * The error for a final HTTP status: 401 is CONNECTOR_AUTH; other 4xx fail at once (not retryable);
 * 429 and 5xx are reported after the retries ran out (retryable later).
 */
export function statusError(stream: string, url: string, status: number, body: string, retried: number): ConnectorError {
  const what = `stream ${stream}: GET ${url}`;
  if (status === 401) {
    return new ConnectorError('CONNECTOR_AUTH', `${what} was refused with HTTP 401 (check the credentials): ${bodySnippet(body)}`);
  }
  if (status === 429 || status >= 500) {
    return new ConnectorError('CONNECTOR_HTTP', `${what} failed with HTTP ${status} ${retries(retried)}: ${bodySnippet(body)}`);
  }
  return new ConnectorError('CONNECTOR_HTTP', `${what} failed with HTTP ${status}: ${bodySnippet(body)}`, { retryable: false });
}

/** A network failure or timeout that persisted through the retries. */
export function networkError(stream: string, url: string, cause: unknown, retried: number): ConnectorError {
  return new ConnectorError('CONNECTOR_HTTP', `stream ${stream}: GET ${url} failed ${retries(retried)}: ${describeCause(cause)}`, { cause });
}

/** The server asked to wait (Retry-After) longer than retry.max_retry_after_ms allows. */
export function retryAfterTooLong(stream: string, url: string, status: number, waitMs: number, maxMs: number): ConnectorError {
  return new ConnectorError(
    'CONNECTOR_HTTP',
    `stream ${stream}: GET ${url} failed with HTTP ${status} and Retry-After ${Math.ceil(waitMs / 1000)} s, longer than retry.max_retry_after_ms (${maxMs} ms)`,
  );
}

/** The OAuth2 token endpoint refused the credentials or could not be reached. */
export function tokenError(tokenUrl: string, problem: { status: number; body: string } | { cause: unknown }, retried: number): ConnectorError {
  if ('status' in problem) {
    const transient = problem.status === 429 || problem.status >= 500;
    return new ConnectorError(
      'CONNECTOR_AUTH',
      `the OAuth2 token endpoint ${tokenUrl} answered HTTP ${problem.status}${transient ? ` ${retries(retried)}` : ''}: ${bodySnippet(problem.body)}`,
      { retryable: transient },
    );
  }
  return new ConnectorError('CONNECTOR_AUTH', `the OAuth2 token endpoint ${tokenUrl} failed ${retries(retried)}: ${describeCause(problem.cause)}`, {
    cause: problem.cause,
    retryable: true,
  });
}

export function canceledError(stream: string): ConnectorError {
  return new ConnectorError('CONNECTOR_CANCELED', `stream ${stream}: reading was canceled`);
}

export function parseError(stream: string, url: string, problem: string): ConnectorError {
  return new ConnectorError('CONNECTOR_PARSE', `stream ${stream}: the response of GET ${url} ${problem}`);
}

/** `fetch failed` says little: name the underlying system error (ECONNREFUSED …) or the timeout. */
function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    if (cause.name === 'TimeoutError') return cause.message;
    const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
    const detail = typeof inner?.code === 'string' ? inner.code : typeof inner?.message === 'string' ? inner.message : undefined;
    return detail !== undefined ? `network error (${cause.message}: ${detail})` : `network error (${cause.message})`;
  }
  return `network error (${String(cause)})`;
}
