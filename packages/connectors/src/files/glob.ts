/**
 * Glob patterns over '/'-separated paths relative to a source's location:
 * - `*` any characters within one path segment, `?` one character (never '/');
 * - `**` as a whole segment: any number of segments, including none (`**` alone: every file);
 * - `{a,b}` alternatives (nestable, may hold wildcards), `[abc]`, `[a-z]`, `[!a]` one character;
 * - `\` takes the next character literally.
 * As in a shell, wildcards do not match a name starting with '.', so hidden files and folders
 * (`.DS_Store`, `.git/`) are left out unless the pattern spells the dot (`.config/*.csv`).
 */
export interface GlobSet {
  readonly patterns: readonly string[];
  /** True when the path matches one of the patterns. */
  matches(path: string): boolean;
  /** Key prefixes to list so that every possible match is seen (`''`: the whole location). */
  readonly prefixes: readonly string[];
}

/** Compiles patterns; throws an Error saying what is wrong with an invalid one. */
export function compileGlobs(patterns: readonly string[]): GlobSet {
  const regexps = patterns.map(globToRegExp);
  return {
    patterns,
    matches: (path) => regexps.some((r) => r.test(path)),
    prefixes: coveringPrefixes(patterns.map(staticPrefix)),
  };
}

const NOT_DOT = '(?!\\.)';
const SEGMENT = `${NOT_DOT}[^/]+`;

/** The anchored regular expression a pattern stands for. */
export function globToRegExp(pattern: string): RegExp {
  if (pattern === '') throw new Error('empty glob pattern');
  if (pattern.startsWith('/')) throw new Error(`glob ${pattern} must be relative to the location (no leading /)`);
  if (pattern.split('/').includes('..')) throw new Error(`glob ${pattern} must stay inside the location (no .. segment)`);
  let out = '';
  // For each open brace: whether its alternatives start at the beginning of a segment.
  const braces: boolean[] = [];
  let segmentStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*' && segmentStart) {
      // `**` is a whole segment: it starts one and ends at '/', the pattern's end or an alternative's end.
      const next = pattern[i + 2];
      if (next === '/') {
        out += `(?:${SEGMENT}/)*`;
        i += 2;
        continue;
      }
      if (next === undefined || (braces.length > 0 && (next === ',' || next === '}'))) {
        out += `${SEGMENT}(?:/${SEGMENT})*`;
        i += 1;
        segmentStart = false;
        continue;
      }
    }
    switch (c) {
      case '*':
        while (pattern[i + 1] === '*') i++;
        out += `${segmentStart ? NOT_DOT : ''}[^/]*`;
        break;
      case '?':
        out += `${segmentStart ? NOT_DOT : ''}[^/]`;
        break;
      case '[': {
        const end = classEnd(pattern, i);
        if (end < 0) {
          out += '\\[';
          break;
        }
        let body = pattern.slice(i + 1, end);
        const negated = body.startsWith('!') || body.startsWith('^');
        if (negated) body = body.slice(1);
        const escaped = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
        out += `${segmentStart ? NOT_DOT : ''}[${negated ? '^/' : ''}${escaped}]`;
        i = end;
        break;
      }
      case '{':
        braces.push(segmentStart);
        out += '(?:';
        segmentStart = braces[braces.length - 1] as boolean;
        continue;
      case ',':
        if (braces.length === 0) {
          out += ',';
          break;
        }
        out += '|';
        segmentStart = braces[braces.length - 1] as boolean;
        continue;
      case '}':
        if (braces.length === 0) {
          out += '\\}';
          break;
        }
        braces.pop();
        out += ')';
        break;
      case '\\': {
        const next = pattern[i + 1];
        if (next === undefined) throw new Error(`glob ${pattern} ends with a lone \\`);
        out += escapeRegExp(next);
        i++;
        break;
      }
      case '/':
        out += '/';
        segmentStart = true;
        continue;
      default:
        out += escapeRegExp(c);
    }
    segmentStart = false;
  }
  if (braces.length > 0) throw new Error(`glob ${pattern} has an unclosed {`);
  return new RegExp(`^${out}$`, 'u');
}

/** The literal leading folders of a pattern (`2024/01/` for `2024/01/*.csv`), '' when there are none. */
export function staticPrefix(pattern: string): string {
  const segments = pattern.split('/');
  const literal: string[] = [];
  for (const s of segments.slice(0, -1)) {
    if (/[*?[{}\\]/.test(s)) break;
    literal.push(s);
  }
  return literal.length > 0 ? `${literal.join('/')}/` : '';
}

/** The fewest prefixes whose listings hold every key under any of `prefixes`. */
function coveringPrefixes(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  const kept: string[] = [];
  for (const p of sorted) if (!kept.some((k) => p.startsWith(k))) kept.push(p);
  return kept.sort();
}

function classEnd(pattern: string, open: number): number {
  // A ']' right after '[' or '[!' is a member of the class, not its end.
  let i = open + 1;
  if (pattern[i] === '!' || pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '/') return -1;
    if (pattern[i] === ']') return i;
  }
  return -1;
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
