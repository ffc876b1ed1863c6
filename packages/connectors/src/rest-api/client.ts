import type { SourceContext } from '../source.ts';
import { createAuth } from './auth.ts';
import type { Auth } from './auth.ts';
import type { RestApiSourceConfig } from './config.ts';
import { canceledError, networkError, redactUrl, retryAfterTooLong, statusError } from './errors.ts';
import { RequestSpacer, Semaphore } from './rate-limit.ts';
import { parseRetryAfter, withRetries } from './retry.ts';
import type { Attempt, RetryPolicy } from './retry.ts';

/** A successful (2xx) response, read whole. */
export interface HttpResponse {
  /** The URL requested (with credentials, for resolving relative links; redact before showing). */
  readonly url: URL;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Who is asking, for messages, logs and cancellation. */
export interface RequestContext {
  readonly stream: string;
  readonly signal: AbortSignal;
  readonly log: SourceContext['log'];
}

/**
 * The HTTP client of one REST API source, shared by its streams: adds headers and credentials,
 * spaces requests (requests_per_second), bounds those in flight (concurrency), times out, retries
 * 429, 5xx and network errors with backoff (honouring Retry-After), renews an OAuth2 token once on
 * 401, and turns final failures into ConnectorErrors naming the stream, the redacted URL and the status.
 */
export class RestClient {
  private readonly auth: Auth;
  private readonly spacer: RequestSpacer | undefined;
  private readonly slots: Semaphore | undefined;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly config: RestApiSourceConfig,
    private readonly fetchFn: typeof fetch,
  ) {
    this.retry = {
      maxRetries: config.retry.max_retries,
      initialDelayMs: config.retry.initial_delay_ms,
      maxDelayMs: config.retry.max_delay_ms,
      maxRetryAfterMs: config.retry.max_retry_after_ms,
    };
    this.auth = createAuth(config.auth, { fetch: fetchFn, retry: this.retry, timeoutMs: config.timeout_ms });
    const { requests_per_second: rps, concurrency } = config.rate_limit ?? {};
    this.spacer = rps === undefined ? undefined : new RequestSpacer(rps);
    this.slots = concurrency === undefined ? undefined : new Semaphore(concurrency);
  }

  /** The URL as it may appear in messages and state (secrets redacted). */
  redact(url: URL | string): string {
    return redactUrl(url, this.auth.secretParams);
  }

  /** Removes the credentials the client adds itself (the api-key query parameter), e.g. from a stored next-page URL. */
  strip(url: URL): URL {
    const out = new URL(url);
    for (const p of this.auth.secretParams) out.searchParams.delete(p);
    return out;
  }

  /** GETs `url`; resolves with a 2xx response or rejects with a ConnectorError. */
  async get(url: URL, ctx: RequestContext): Promise<HttpResponse> {
    const shown = this.redact(url);
    try {
      return await withRetries(
        this.retry,
        ctx.signal,
        () => this.attempt(url, ctx),
        (retry, delayMs) => ctx.log('warn', `stream ${ctx.stream}: retrying GET ${shown} in ${delayMs} ms (retry ${retry} of ${this.retry.maxRetries})`),
      );
    } catch (e) {
      if (ctx.signal.aborted) throw canceledError(ctx.stream);
      throw e;
    }
  }

  private async attempt(url: URL, ctx: RequestContext, renewed = false): Promise<Attempt<HttpResponse>> {
    const requestUrl = new URL(url);
    const headers = new Headers(this.config.headers);
    const credentials = await this.auth.apply(requestUrl, headers, ctx.signal);
    const shown = this.redact(requestUrl);
    // Spacing after taking a slot: requests that waited for a slot still leave at the set rate.
    const release = await this.slots?.acquire(ctx.signal);
    let response: Response;
    let text: string;
    let timeout: AbortSignal | undefined;
    try {
      await this.spacer?.acquire(ctx.signal);
      timeout = AbortSignal.timeout(this.config.timeout_ms);
      response = await this.fetchFn(requestUrl, { headers, signal: AbortSignal.any([ctx.signal, timeout]) });
      text = await response.text();
    } catch (cause) {
      if (ctx.signal.aborted) throw canceledError(ctx.stream);
      const reason = timeout?.aborted ? timedOut(this.config.timeout_ms) : cause;
      return { ok: false, fail: (n) => networkError(ctx.stream, shown, reason, n) };
    } finally {
      release?.();
    }

    const { status } = response;
    if (response.ok) return { ok: true, value: { url: requestUrl, status, headers: response.headers, text } };
    if (status === 401 && !renewed && this.auth.renew(credentials)) {
      ctx.log('info', `stream ${ctx.stream}: GET ${shown} answered 401, renewing the access token`);
      return this.attempt(url, ctx, true);
    }
    if (status !== 429 && status < 500) throw statusError(ctx.stream, shown, status, text, 0);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfterMs !== undefined && retryAfterMs > this.retry.maxRetryAfterMs) {
      throw retryAfterTooLong(ctx.stream, shown, status, retryAfterMs, this.retry.maxRetryAfterMs);
    }
    return { ok: false, fail: (n) => statusError(ctx.stream, shown, status, text, n), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
}

function timedOut(ms: number): Error {
  const e = new Error(`timed out after ${ms} ms (timeout_ms)`);
  e.name = 'TimeoutError';
  return e;
}
