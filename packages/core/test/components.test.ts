import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { ComponentRegistry, StrataProject, isCoreError, loadProject } from '@strata/core';
import { writeProject } from '@strata/core/testing';

// Inside the repository, so that the project's own component module can import zod.
const TMP = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'components-', under: TMP });

const BASE = {
  'strata.yaml': 'name: parks\nmetadata: "memory:"\ncomponents: [./components/constant.ts]\n',
  // A team's own component: a table of constant rows, written in TypeScript.
  'components/constant.ts': `
import { z } from 'zod';
export const constantTable = {
  name: 'constant_table',
  description: 'A table of fixed rows.',
  schema: z.object({ rows: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).min(1), tags: z.array(z.string()).default([]) }).strict(),
  build: (config, ctx) => [{ key: ctx.layer + '.' + ctx.name, tags: config.tags, compute: () => config.rows }],
};
`,
  'domains/parks/bronze/parks.yaml': 'component: constant_table\ntags: [reference]\nrows:\n  - { park_id: 1, name: Annecy }\n  - { park_id: 2, name: Lyon }\n',
  'domains/parks/silver/parks.yaml': 'component: sql_model\ndescription: Parks, upper-cased.\nsql: select park_id, upper(name) as name from bronze.parks\n',
};

describe('YAML components', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  it('turns YAML files into assets with built-in and project components', async () => {
    const p = await StrataProject.open(project(BASE), { engine });
    try {
      assert.deepEqual(p.graph.get('parks.silver.parks').deps, ['parks.bronze.parks']);
      assert.equal(p.graph.get('parks.silver.parks').kind, 'sql_model');
      assert.equal(p.graph.get('parks.bronze.parks').kind, 'constant_table');
      assert.deepEqual(p.graph.get('parks.bronze.parks').tags, ['reference']);
      assert.equal((await p.materialize()).status, 'success');
      assert.deepEqual(await p.query('select name from silver.parks order by park_id'), [{ name: 'ANNECY' }, { name: 'LYON' }]);
    } finally {
      await p.close();
    }
  });

  it('reports YAML mistakes with the file, the line and the expected shape', async () => {
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/silver/parks.yaml': 'component: sql_model\nsql: select 1 as x\nmaterialized: tabel\n' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_CONFIG') && /parks\.yaml:3: materialized: .*table/.test(e.message),
    );
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/bronze/parks.yaml': 'component: constant_table\nrows: []\n' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_CONFIG') && /parks\.yaml:2: rows/.test(e.message),
    );
    await assert.rejects(
      () => loadProject(project({ ...BASE, 'domains/parks/bronze/other.yaml': 'component: nope\n' }), engine),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_DEFINITION') && /unknown component "nope"; available: constant_table, sql_model/.test(e.message),
    );
  });

  it('publishes each component as JSON Schema', () => {
    const registry = new ComponentRegistry();
    const schema = registry.jsonSchema('sql_model') as { properties: Record<string, unknown>; required?: string[] };
    assert.ok('sql' in schema.properties && 'materialized' in schema.properties);
    assert.deepEqual(schema.required, ['sql']);
  });
});
