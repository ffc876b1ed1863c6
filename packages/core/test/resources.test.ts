import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DuckDbEngine } from '@strata/delta';
import { StrataProject, isCoreError } from '@strata/core';
import { writeProject } from '@strata/core/testing';

// Inside the repository, so that the project's resource module can import zod.
const TMP = join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp');

const project = (files: Record<string, string>): string => writeProject(files, { prefix: 'resources-', under: TMP });

const FILES = {
  'strata.yaml': `name: parks
metadata: "memory:"
resourceModules: [./resources.ts]
resources:
  pricing: { vat: 0.2, currency: EUR }
  region: Auvergne-Rhône-Alpes
`,
  'resources.ts': `
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
export const pricing = {
  name: 'pricing',
  schema: z.object({ vat: z.number().min(0).max(1), currency: z.string().length(3) }).strict(),
  create: (config) => ({ gross: (net) => net * (1 + config.vat), currency: config.currency }),
  dispose: () => writeFileSync(new URL('./disposed.txt', import.meta.url), 'yes'),
};
`,
  'domains/parks/bronze/prices.ts': `
export const prices = {
  key: 'bronze.prices',
  compute: (ctx) => [{ net: 100, gross: ctx.resources.pricing.gross(100), currency: ctx.resources.pricing.currency, region: ctx.resources.region }],
};
`,
};

describe('resources', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });

  it('validates, creates, injects and disposes resources; plain values pass through', async () => {
    const dir = project(FILES);
    const p = await StrataProject.open(dir, { engine });
    try {
      assert.equal((await p.materialize()).status, 'success');
      assert.deepEqual(await p.query('select gross, currency, region from bronze.prices'), [{ gross: 120, currency: 'EUR', region: 'Auvergne-Rhône-Alpes' }]);
    } finally {
      await p.close();
    }
    assert.equal(readFileSync(join(dir, 'disposed.txt'), 'utf8'), 'yes');
  });

  it('names the resource setting that is invalid', async () => {
    const dir = project({ ...FILES, 'strata.yaml': FILES['strata.yaml'].replace('vat: 0.2', 'vat: 2') });
    await assert.rejects(
      () => StrataProject.open(dir, { engine }),
      (e: unknown) => isCoreError(e, 'CORE_INVALID_CONFIG') && /resources\.pricing\.vat/.test(e.message),
    );
  });
});
