import nunjucks from 'nunjucks';
import { CoreError, isCoreError } from '../errors.ts';

/**
 * The Jinja dialect of dbt models, on nunjucks (a Jinja2 port for JavaScript). Nunjucks already
 * parses `{{ f(a, k=v) }}`, `{% set %}`, `{% for %}` with `loop.*`, `{% macro %}`, `{% call %}`,
 * filters and whitespace control; this module adds what dbt code relies on besides:
 * - Python literals `True`, `False`, `None`, slices and list/dict methods (`append`, `items`,
 *   `get`…) through nunjucks' own `installJinjaCompat`, and string methods (`upper`, `split`,
 *   `startswith`…), which that leaves out;
 * - dbt's `return(value)` in macros, the `{% do expr %}` statement, the `none` test and the
 *   `tojson` and `as_*` filters.
 * Errors become CoreErrors that name the file and the line.
 */

type Lookup = (obj: unknown, val: unknown, ...rest: unknown[]) => unknown;
type MacroBody = (...args: unknown[]) => unknown;
const runtime = nunjucks.runtime as unknown as {
  memberLookup: Lookup;
  makeMacro: (argNames: unknown, kwargNames: unknown, body: MacroBody) => MacroBody;
};

/** Thrown by dbt's `return(value)`: the macro being called returns `value` instead of its text. */
export class MacroReturn extends Error {
  constructor(readonly value: unknown) {
    super('return() outside a macro');
  }
}

const STRING_METHODS: Readonly<Record<string, (s: string, ...args: unknown[]) => unknown>> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  strip: (s, chars) => (typeof chars === 'string' ? trimChars(s, chars, true, true) : s.trim()),
  lstrip: (s, chars) => (typeof chars === 'string' ? trimChars(s, chars, true, false) : s.trimStart()),
  rstrip: (s, chars) => (typeof chars === 'string' ? trimChars(s, chars, false, true) : s.trimEnd()),
  split: (s, sep) => (typeof sep === 'string' ? s.split(sep) : s.trim().split(/\s+/).filter((p) => p !== '')),
  replace: (s, from, to) => s.replaceAll(String(from), String(to)),
  startswith: (s, prefix) => s.startsWith(String(prefix)),
  endswith: (s, suffix) => s.endsWith(String(suffix)),
  title: (s) => s.toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase()),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  join: (s, items) => (Array.isArray(items) ? items.map(String).join(s) : ''),
  format: (s, ...args) => {
    let i = 0;
    return s.replace(/\{(\d*)\}/g, (_, n: string) => String(args[n === '' ? i++ : Number(n)] ?? ''));
  },
};

function trimChars(s: string, chars: string, start: boolean, end: boolean): string {
  let a = 0;
  let b = s.length;
  while (start && a < b && chars.includes(s.charAt(a))) a++;
  while (end && b > a && chars.includes(s.charAt(b - 1))) b--;
  return s.slice(a, b);
}

let compatInstalled = false;

/** Installs the Python-compatible lookups once per process (nunjucks keeps them module-wide). */
function installCompat(): void {
  if (compatInstalled) return;
  compatInstalled = true;
  nunjucks.installJinjaCompat();
  const lookup = runtime.memberLookup;
  runtime.memberLookup = function memberLookup(this: unknown, obj: unknown, val: unknown, ...rest: unknown[]) {
    const method = typeof obj === 'string' && typeof val === 'string' && Object.hasOwn(STRING_METHODS, val) ? STRING_METHODS[val] : undefined;
    if (method && rest.length === 0) return (...args: unknown[]) => method(obj as string, ...args);
    return lookup.call(this, obj, val, ...rest);
  };
  const makeMacro = runtime.makeMacro;
  runtime.makeMacro = (argNames, kwargNames, body) =>
    makeMacro(argNames, kwargNames, function macro(this: unknown, ...args: unknown[]) {
      try {
        return body.apply(this, args);
      } catch (e) {
        if (e instanceof MacroReturn) return e.value;
        throw e;
      }
    });
}

interface ParserToken {
  readonly value: string;
  readonly lineno: number;
  readonly colno: number;
}

interface Parser {
  nextToken(): ParserToken;
  parseExpression(): unknown;
  advanceAfterBlockEnd(name: string): void;
}

interface Nodes {
  NodeList: new (lineno: number, colno: number, children: unknown[]) => unknown;
  CallExtension: new (ext: object, prop: string, args: unknown) => unknown;
}

/** `{% do expr %}`: evaluates an expression for its effect (`{% do cols.append('a') %}`). */
class DoStatement implements nunjucks.Extension {
  readonly tags = ['do'];

  parse(parser: Parser, nodes: Nodes): unknown {
    const tok = parser.nextToken();
    const expr = parser.parseExpression();
    parser.advanceAfterBlockEnd(tok.value);
    return new nodes.CallExtension(this, 'run', new nodes.NodeList(tok.lineno, tok.colno, [expr]));
  }

  run(): string {
    return '';
  }
}

/** A nunjucks environment configured like dbt's Jinja: no autoescaping, undefined renders empty. */
export function dbtJinjaEnvironment(): nunjucks.Environment {
  installCompat();
  // dev keeps the line numbers and the original error of failures, for messages naming the line.
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false, dev: true });
  env.addExtension('do', new DoStatement());
  // The typings leave out addTest, which nunjucks has.
  (env as unknown as { addTest(name: string, test: (v: unknown) => boolean): void }).addTest('none', (v) => v === null);
  env.addFilter('tojson', (v: unknown) => JSON.stringify(v));
  env.addFilter('as_text', (v: unknown) => (v === null || v === undefined ? '' : String(v)));
  env.addFilter('as_bool', (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() === 'true' : Boolean(v)));
  env.addFilter('as_number', (v: unknown) => Number(v));
  env.addFilter('as_native', (v: unknown) => v);
  return env;
}

/** A compiled template; compiling reports syntax errors with the file and line. */
export function compileTemplate(env: nunjucks.Environment, source: string, file: string): nunjucks.Template {
  try {
    return new nunjucks.Template(source, env, file, true);
  } catch (e) {
    throw templateError(e, file, source, 'compile');
  }
}

/** Renders a template; what the template or a context function throws names the file and line. */
export function renderTemplate(template: nunjucks.Template, context: object, file: string, source: string): string {
  try {
    return template.render(context);
  } catch (e) {
    throw templateError(e, file, source, 'render');
  }
}

interface NunjucksError {
  readonly message: string;
  readonly lineno?: number;
  readonly cause?: unknown;
}

/** A nunjucks failure as a CoreError naming the file and the line. */
export function templateError(e: unknown, file: string, source: string, stage: 'compile' | 'render'): CoreError {
  const err = (e ?? {}) as NunjucksError;
  // Nunjucks counts lines from 1 when parsing and from 0 when rendering.
  const line = typeof err.lineno === 'number' ? err.lineno + (stage === 'render' ? 1 : 0) : source.split('\n').length;
  const cause = err.cause;
  const detail = cause instanceof Error ? cause.message : String(err.message ?? e).replace(/^\([^)]*\)( \[Line \d+(, Column \d+)?\])?\s*/, '');
  const what = stage === 'compile' ? 'Jinja syntax error' : 'Jinja error';
  if (cause instanceof MacroReturn) return new CoreError('CORE_INVALID_DEFINITION', `${file}:${line}: return() is only allowed inside a macro`);
  if (isCoreError(cause)) return new CoreError(cause.code, `${file}:${line}: ${detail}`, { cause });
  return new CoreError('CORE_INVALID_DEFINITION', `${file}:${line}: ${what}: ${detail}`, { cause: e });
}
