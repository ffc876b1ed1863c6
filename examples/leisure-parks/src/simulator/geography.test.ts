import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { PARK_SITES } from './catalog.ts';
import { CATCHMENTS, VISITOR_ORIGINS } from './geography.ts';
import { createSimulator } from './simulator.ts';

interface EtalabCommune {
  readonly code: string;
  readonly nom: string;
  readonly type: string;
  readonly codesPostaux?: readonly string[];
}

const communesPath = createRequire(import.meta.url).resolve('@etalab/decoupage-administratif/data/communes.json');
const communes = new Map(
  (JSON.parse(readFileSync(communesPath, 'utf8')) as EtalabCommune[]).filter((c) => c.type === 'commune-actuelle').map((c) => [c.code, c]),
);

function assertCommune(insee: string, name: string, postalCode: string, where: string): void {
  const commune = communes.get(insee);
  assert.ok(commune, `${where}: INSEE code ${insee} is not a current commune in @etalab/decoupage-administratif`);
  assert.equal(commune.nom, name, `${where}: ${insee} is ${commune.nom}, not ${name}`);
  assert.ok(commune.codesPostaux?.includes(postalCode), `${where}: ${postalCode} is not a postal code of ${name} (${insee})`);
}

test('every park is in a real commune with its own postal code', () => {
  assert.equal(PARK_SITES.length, 8);
  assert.equal(new Set(PARK_SITES.map((s) => s.insee)).size, 8, 'eight different communes');
  for (const site of PARK_SITES) assertCommune(site.insee, site.city, site.postalCode, `park ${site.name}`);
});

test('every catchment and visitor commune exists with the postal codes listed', () => {
  for (const site of PARK_SITES) assert.ok(CATCHMENTS[site.key], `park ${site.key} has a catchment area`);
  const all = [...Object.entries(CATCHMENTS).flatMap(([key, list]) => list.map((c) => ({ c, where: `catchment ${key}` }))), ...VISITOR_ORIGINS.map((c) => ({ c, where: 'visitor origins' }))];
  for (const { c, where } of all) for (const postalCode of c.postalCodes) assertCommune(c.insee, c.name, postalCode, where);
});

test('generated customers live at real addresses: INSEE code, postal code and city agree', () => {
  const sim = createSimulator({ seed: 3, scale: 0.02 });
  const customers = sim.records('customers');
  assert.ok(customers.length > 500);
  for (const c of customers) assertCommune(c.insee_code, c.city, c.postal_code, `customer ${c.id}`);
  for (const p of sim.records('parks')) assertCommune(p.insee_code, p.city, p.postal_code, `park record ${p.id}`);
});
