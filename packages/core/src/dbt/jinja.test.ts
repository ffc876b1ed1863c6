import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCoreError } from '../errors.ts';
import type { DbtConfig } from './config.ts';
import type { RenderScope } from './context.ts';
import { dbtContext } from './context.ts';
import { compileTemplate, dbtJinjaEnvironment, renderTemplate } from './jinja.ts';
import { MacroLibrary } from './macros.ts';
import { Relation } from './relation.ts';

const env = dbtJinjaEnvironment();

function scope(extra: Partial<RenderScope> = {}): RenderScope {
  return {
    projectName: 'shop',
    resolver: {
      ref: (name) => new Relation(`shop.silver.${name}`),
      source: (s, t) => new Relation(`shop.bronze.${s}_${t}`),
      variable: (name) => ({ start: '2024-01-01' })[name],
    },
    self: new Relation('shop.gold.model'),
    execute: true,
    incremental: false,
    fullRefresh: false,
    runId: 'run-1',
    runStartedAt: new Date('2026-01-01T00:00:00Z'),
    env: { REGION: 'eu' },
    config: {},
    macros: {},
    ...extra,
  };
}

function render(source: string, s: RenderScope = scope(), extra: Record<string, unknown> = {}): string {
  return renderTemplate(compileTemplate(env, source, 'models/m.sql'), { ...dbtContext(s), ...extra }, 'models/m.sql', source);
}

function renderError(source: string, s: RenderScope = scope()): string {
  try {
    render(source, s);
  } catch (e) {
    assert.ok(isCoreError(e), String(e));
    return e.message;
  }
  return assert.fail(`rendering ${source} did not fail`);
}

describe('dbt Jinja', () => {
  it('renders ref, source and this as quoted relations of Strata assets', () => {
    assert.equal(render("select * from {{ ref('stg_orders') }} join {{ source('app', 'users') }}"), 'select * from "shop"."silver"."stg_orders" join "shop"."bronze"."app_users"');
    assert.equal(render('{{ this }} {{ this.schema }}.{{ this.identifier }} {{ this.database }}'), '"shop"."gold"."model" gold.model shop');
  });

  it('reports config() keyword arguments and renders it as nothing', () => {
    const seen: DbtConfig[] = [];
    const out = render("{{ config(materialized='incremental', unique_key=['a', 'b'], tags=['x']) }}select 1", scope({ onConfig: (c) => seen.push(c) }));
    assert.equal(out, 'select 1');
    assert.deepEqual(seen, [{ materialized: 'incremental', unique_key: ['a', 'b'], tags: ['x'] }]);
  });

  it('supports set with lists, for loops with loop.last and whitespace control', () => {
    const source = "{% set methods = ['card', 'coupon'] %}\nselect\n{%- for m in methods %} sum({{ m }}) as {{ m }}_amount{% if not loop.last %},{% endif %}{% endfor %}";
    assert.equal(render(source), '\nselect sum(card) as card_amount, sum(coupon) as coupon_amount');
  });

  it("answers var() from the project, then the default, and fails naming a missing one", () => {
    assert.equal(render("{{ var('start') }} {{ var('missing', 7) }}"), '2024-01-01 7');
    assert.match(renderError("select\n{{ var('nope') }}"), /^models\/m\.sql:2: required var 'nope' is not set/);
  });

  it('answers is_incremental(), env_var(), target and adapter.quote', () => {
    assert.equal(render('{% if is_incremental() %}inc{% else %}full{% endif %}', scope({ incremental: true })), 'inc');
    assert.equal(render("{{ env_var('REGION') }} {{ env_var('NONE', 'x') }} {{ target.type }} {{ adapter.quote('a b') }}"), 'eu x duckdb "a b"');
    assert.equal(render('{% if execute %}run{% else %}parse{% endif %}', scope({ execute: false })), 'parse');
  });

  it('has Python literals, methods and the do statement', () => {
    assert.equal(render("{% set cols = [] %}{% do cols.append('a') %}{% do cols.append('b') %}{{ cols | join(', ') }}"), 'a, b');
    assert.equal(render("{{ 'Abc'.upper() }} {{ 'a,b'.split(',') | length }} {{ ' x '.strip() }} {{ 'stg_x'.startswith('stg_') }} {{ 'a-b-c'.replace('-', '_') }}"), 'ABC 2 x true a_b_c');
    assert.equal(render("{% if x is none %}none{% endif %}{% set d = {'k': 1} %}{{ d.get('k') }}{{ d.get('z', 2) }}{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}", scope(), { x: null }), 'none12k=1');
    assert.equal(render('{{ True }} {{ None is none }} {{ [1, 2, 3][1:] | join }}'), 'true true 23');
  });

  it("binds project macros to the node's context, returns their value with return(), and dispatches", () => {
    const file = (path: string, text: string) => ({ path, absolutePath: path, folders: [], name: path, text });
    const library = MacroLibrary.compile(env, [
      file('macros/a.sql', "{% macro cols() %}{{ return(['a', 'b']) }}{% endmacro %}\n{% macro me() %}{{ this }}{% endmacro %}"),
      file('macros/b.sql', "{% macro default__cast(x) %}cast({{ x }} as int){% endmacro %}\n{% macro both() %}{{ cols() | join('+') }}{% endmacro %}"),
    ]);
    const s = scope();
    const context = dbtContext(s);
    s.macros = library.exported(context);
    const source = "{{ both() }} {{ adapter.dispatch('cast')('y') }} {{ me() }}";
    assert.equal(renderTemplate(compileTemplate(env, source, 'models/m.sql'), { ...context, ...s.macros }, 'models/m.sql', source), 'a+b cast(y as int) "shop"."gold"."model"');
    assert.throws(
      () => MacroLibrary.compile(env, [file('macros/a.sql', '{% macro a() %}{% endmacro %}'), file('macros/b.sql', 'x\n{% macro b( %}')]),
      (e: unknown) => isCoreError(e) && /^macros\/b\.sql:2: Jinja syntax error/.test(e.message),
    );
  });

  it('names the file and line of syntax errors and of errors while rendering', () => {
    assert.match(renderError("select 1\nfrom x\nwhere {{ ref('a' }}"), /^models\/m\.sql:3: Jinja syntax error: /);
    assert.match(renderError('select 1\n{% if x %}\nfrom y'), /^models\/m\.sql:3: Jinja syntax error: .*endif/);
    assert.match(renderError("select 1\n\n  {{ dbt_utils.star('x') }}"), /^models\/m\.sql:3: Jinja error: .*dbt_utils/);
    assert.match(renderError("{{ run_query('select 1') }}"), /^models\/m\.sql:1: run_query is not supported/);
    assert.match(renderError('x\n{{ return(1) }}'), /^models\/m\.sql:2: return\(\) is only allowed inside a macro/);
  });
});
