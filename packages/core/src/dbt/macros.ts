import type nunjucks from 'nunjucks';
import { CoreError } from '../errors.ts';
import type { ProjectFileEntry } from './discover.ts';
import { compileTemplate, templateError } from './jinja.ts';

interface Exporting {
  getExported(context: object, callback: (err: unknown, exported: Record<string, unknown>) => void): void;
}

/**
 * The project's macros (`{% macro name(args) %}…{% endmacro %}` in the macro paths), compiled as
 * one template so that macros of different files call each other. Each render binds them to the
 * context of the node being rendered, so `ref()` or `this` inside a macro are the node's.
 */
export class MacroLibrary {
  private constructor(
    private readonly template: nunjucks.Template | undefined,
    private readonly source: string,
    private readonly files: readonly { path: string; firstLine: number }[],
  ) {}

  static compile(env: nunjucks.Environment, files: readonly ProjectFileEntry[]): MacroLibrary {
    if (files.length === 0) return new MacroLibrary(undefined, '', []);
    const starts: { path: string; firstLine: number }[] = [];
    let line = 1;
    for (const f of files) {
      starts.push({ path: f.path, firstLine: line });
      line += f.text.split('\n').length;
    }
    const source = files.map((f) => f.text).join('\n');
    try {
      return new MacroLibrary(compileTemplate(env, source, 'macros'), source, starts);
    } catch (e) {
      throw relocate(e, starts);
    }
  }

  /** The macros, bound to `context`; empty without macro files. */
  exported(context: object): Record<string, unknown> {
    if (!this.template) return {};
    let out: Record<string, unknown> = {};
    (this.template as unknown as Exporting).getExported(context, (err, exported) => {
      if (err) throw relocate(templateError(err, 'macros', this.source, 'render'), this.files);
      out = exported;
    });
    return out;
  }
}

/** Turns `macros:<line>` of the joined template into the file and line of the macro file. */
function relocate(e: unknown, starts: readonly { path: string; firstLine: number }[]): unknown {
  if (!(e instanceof CoreError)) return e;
  const m = /^macros:(\d+): /.exec(e.message);
  if (!m) return e;
  const line = Number(m[1]);
  const file = [...starts].reverse().find((s) => s.firstLine <= line);
  if (!file) return e;
  return new CoreError(e.code, `${file.path}:${line - file.firstLine + 1}: ${e.message.slice(m[0].length)}`, { cause: e });
}
