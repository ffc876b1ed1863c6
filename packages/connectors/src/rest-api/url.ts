/**
 * Joins `path` to `baseUrl` with exactly one slash between them, whether either has one or not
 * (`https://api/v1` + `bookings` = `https://api/v1/bookings`); a query string in either is kept.
 * An absolute `path` (`https://…`) is used as is.
 */
export function joinUrl(baseUrl: string, path: string): URL {
  if (/^https?:\/\//i.test(path)) return new URL(path);
  const base = new URL(baseUrl);
  const [pathPart = '', query] = splitOnce(path, '?');
  const basePath = base.pathname.replace(/\/+$/, '');
  const rest = pathPart.replace(/^\/+/, '');
  base.pathname = rest === '' ? basePath || '/' : `${basePath}/${rest}`;
  if (query !== undefined) {
    for (const [k, v] of new URLSearchParams(query)) base.searchParams.append(k, v);
  }
  return base;
}

/** Sets query parameters (values encoded by URLSearchParams). */
export function withParams(url: URL, params: Readonly<Record<string, string | number | boolean>> | undefined): URL {
  const out = new URL(url);
  for (const [k, v] of Object.entries(params ?? {})) out.searchParams.set(k, String(v));
  return out;
}

/** Replaces `{name}` in a path with the URL-encoded value. */
export function fillPath(path: string, name: string, value: string): string {
  return path.replaceAll(`{${name}}`, encodeURIComponent(value));
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}
