import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AssetDefinition } from '../definitions/asset.ts';
import { isCoreError } from '../errors.ts';
import { resolveAsset } from '../project/resolve-asset.ts';
import { AssetGraph } from './asset-graph.ts';
import { resolveSelection } from './selection.ts';

const rules = { layers: ['bronze', 'silver', 'gold'], forbidGoldFromBronze: true };
const asset = (key: string, deps: string[] = [], extra: Partial<AssetDefinition> = {}) =>
  resolveAsset({ key, deps, compute: () => undefined, ...extra }, 'parks');
const graph = (...assets: ReturnType<typeof asset>[]) => AssetGraph.build(assets, rules);

describe('asset graph', () => {
  const g = graph(
    asset('bronze.bookings', [], { tags: ['raw'] }),
    asset('bronze.parks', [], { tags: ['raw'] }),
    asset('silver.bookings', ['bronze.bookings'], { tags: ['pii'] }),
    asset('silver.parks', ['bronze.parks']),
    asset('gold.revenue', ['silver.bookings', 'silver.parks'], { tags: ['kpi'], owner: 'finance' }),
    asset('shop.gold.orders', [], {}),
  );

  it('orders assets after their upstreams', () => {
    const pos = (k: string) => g.order.indexOf(k);
    assert.ok(pos('parks.bronze.bookings') < pos('parks.silver.bookings'));
    assert.ok(pos('parks.silver.parks') < pos('parks.gold.revenue'));
    assert.equal(g.order.length, 6);
  });

  it('names the missing dependency and the asset that needs it', () => {
    assert.throws(
      () => graph(asset('silver.a', ['bronze.nope'])),
      (e: unknown) => isCoreError(e, 'CORE_MISSING_DEPENDENCY') && /parks\.silver\.a/.test(e.message) && /parks\.bronze\.nope/.test(e.message),
    );
  });

  it('names the assets of a cycle', () => {
    assert.throws(
      () => graph(asset('silver.a', ['silver.c']), asset('silver.b', ['silver.a']), asset('silver.c', ['silver.b'])),
      (e: unknown) => isCoreError(e, 'CORE_CYCLE') && /parks\.silver\.a → parks\.silver\.c → parks\.silver\.b → parks\.silver\.a/.test(e.message),
    );
  });

  it('refuses gold assets that read bronze, unknown layers and duplicate keys', () => {
    assert.throws(() => graph(asset('bronze.a'), asset('gold.b', ['bronze.a'])), (e: unknown) => isCoreError(e, 'CORE_LAYER_RULE'));
    assert.doesNotThrow(() => AssetGraph.build([asset('bronze.a'), asset('gold.b', ['bronze.a'])], { ...rules, forbidGoldFromBronze: false }));
    assert.throws(() => graph(asset('platinum.a')), (e: unknown) => isCoreError(e, 'CORE_INVALID_DEFINITION') && /platinum/.test(e.message));
    assert.throws(() => graph(asset('silver.a'), asset('parks.silver.a')), (e: unknown) => isCoreError(e, 'CORE_INVALID_DEFINITION') && /twice/.test(e.message));
  });

  it('selects by key, glob, tag, layer, domain, owner and graph operators', () => {
    const sel = (s: string | string[]) => [...resolveSelection(g, s)].sort();
    assert.deepEqual(sel('parks.gold.revenue'), ['parks.gold.revenue']);
    assert.deepEqual(sel('gold.revenue'), ['parks.gold.revenue']);
    assert.deepEqual(sel('+gold.revenue'), ['parks.bronze.bookings', 'parks.bronze.parks', 'parks.gold.revenue', 'parks.silver.bookings', 'parks.silver.parks']);
    assert.deepEqual(sel('1+gold.revenue'), ['parks.gold.revenue', 'parks.silver.bookings', 'parks.silver.parks']);
    assert.deepEqual(sel('bronze.bookings+'), ['parks.bronze.bookings', 'parks.gold.revenue', 'parks.silver.bookings']);
    assert.deepEqual(sel('bronze.bookings+1'), ['parks.bronze.bookings', 'parks.silver.bookings']);
    assert.deepEqual(sel('parks.silver.*'), ['parks.silver.bookings', 'parks.silver.parks']);
    assert.deepEqual(sel('tag:raw'), ['parks.bronze.bookings', 'parks.bronze.parks']);
    assert.deepEqual(sel('layer:gold'), ['parks.gold.revenue', 'shop.gold.orders']);
    assert.deepEqual(sel('domain:shop'), ['shop.gold.orders']);
    assert.deepEqual(sel('owner:finance'), ['parks.gold.revenue']);
    assert.deepEqual(sel('layer:gold,domain:parks'), ['parks.gold.revenue'], 'a comma intersects');
    assert.deepEqual(sel(['tag:pii', 'domain:shop']), ['parks.silver.bookings', 'shop.gold.orders'], 'terms are a union');
    assert.equal(sel('*').length, 6);
    assert.equal(sel([]).length, 6);
    assert.throws(() => sel('tag:nothing'), (e: unknown) => isCoreError(e, 'CORE_SELECTION') && /tag:nothing/.test(e.message));
    assert.throws(() => sel('color:red'), (e: unknown) => isCoreError(e, 'CORE_SELECTION') && /unknown selector/.test(e.message));
  });
});
