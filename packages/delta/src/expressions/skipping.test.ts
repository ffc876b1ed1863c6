import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Add } from '../actions/index.ts';
import { DuckDbEngine } from '../engine/index.ts';
import { parsePredicate } from './predicate.ts';
import { epochMicros, mayMatch } from './skipping.ts';

const file = (stats: object, partitionValues: Record<string, string | null> = {}): Add => ({
  path: 'f.parquet',
  partitionValues,
  size: 1,
  modificationTime: 0,
  dataChange: true,
  stats: JSON.stringify(stats),
});

const ctx = {
  fields: [
    { name: 'id', type: 'long' as const, nullable: true, metadata: {} },
    { name: 'name', type: 'string' as const, nullable: true, metadata: {} },
    { name: 'ts', type: 'timestamp' as const, nullable: true, metadata: {} },
    { name: 'day', type: 'date' as const, nullable: true, metadata: {} },
  ],
  partitionColumns: ['day'],
  mapping: 'none' as const,
};

describe('data skipping', () => {
  let engine: DuckDbEngine;
  before(async () => {
    engine = await DuckDbEngine.create();
  });
  after(async () => {
    await engine.close();
  });
  const f = file(
    {
      numRecords: 10,
      minValues: { id: 10, name: 'b', ts: '2024-01-01T00:00:00.000Z' },
      maxValues: { id: 20, name: 'm', ts: '2024-01-01T10:00:00.123Z' },
      nullCount: { id: 0, name: 3, ts: 0 },
    },
    { day: '2024-01-01' },
  );
  const may = async (sql: string, add = f) => mayMatch((await parsePredicate(engine, sql)).tree, add, ctx);

  it('prunes on min/max of numbers, strings and timestamps', async () => {
    assert.equal(await may('id = 15'), true);
    assert.equal(await may('id = 21'), false);
    assert.equal(await may('id < 10'), false);
    assert.equal(await may('id <= 10'), true);
    assert.equal(await may('5 > id'), false, 'literal on the left is flipped');
    assert.equal(await may('id BETWEEN 21 AND 30'), false);
    assert.equal(await may('id IN (1, 2, 30)'), false);
    assert.equal(await may('id IN (1, 15)'), true);
    assert.equal(await may("name > 'z'"), false);
    assert.equal(await may("ts > TIMESTAMPTZ '2024-01-01 10:00:00.123500+00'"), true, 'truncated max widened');
    assert.equal(await may("ts > TIMESTAMPTZ '2024-01-01 10:00:00.124+00'"), false);
  });

  it('prunes on partition values, null counts and negations', async () => {
    assert.equal(await may("day = '2024-01-02'"), false);
    assert.equal(await may("day = DATE '2024-01-01'"), true);
    assert.equal(await may('day IS NULL'), false);
    assert.equal(await may('id IS NULL'), false);
    assert.equal(await may('name IS NULL'), true);
    assert.equal(await may('NOT (id >= 10)'), false);
    assert.equal(await may('NOT (id = 10 AND id = 11)'), true);
    assert.equal(await may('id = 30 OR name IS NULL'), true);
    assert.equal(await may('id = 30 AND name IS NULL'), false);
  });

  it('never prunes what it does not understand, or files without stats', async () => {
    assert.equal(await may('abs(id) = 99'), true);
    assert.equal(await may('id + 1 = 99'), true);
    assert.equal(await may('id = 99', { ...f, stats: null }), true);
    assert.equal(await may('unknown_col = 1'), true);
  });

  it('parses timestamps with and without zones to microseconds', () => {
    assert.equal(epochMicros('1970-01-01 00:00:00'), 0);
    assert.equal(epochMicros('1970-01-01T00:00:00.000001Z'), 1);
    assert.equal(epochMicros('1970-01-01 01:00:00+01'), 0);
    assert.equal(epochMicros('1970-01-01T05:30:00+05:30'), 0);
    assert.equal(epochMicros('not a time'), undefined);
  });
});
