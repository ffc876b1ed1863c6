import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isConnectorError } from '../errors.ts';
import { connectionLocation, parseConfig, sqlSourceConfigSchema } from './config.ts';
import { parseState } from './state.ts';
import { parseTableName } from './table-name.ts';

const schema = sqlSourceConfigSchema(['postgres:', 'postgresql:']);
const invalid = (input: unknown, pattern: RegExp) =>
  assert.throws(() => parseConfig(schema, input, 'postgres source'), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && pattern.test(e.message));

describe('database source configuration', () => {
  it('accepts a URL or connection parts, with defaults', () => {
    const config = parseConfig(schema, { connection: 'postgres://u:p@h:5433/db', streams: [{ name: 'orders', table: 'shop.orders' }] }, 'postgres source');
    assert.equal(config.streams[0]?.chunk_size, 10_000);
    parseConfig(schema, { connection: { host: 'h', user: 'u', password: 'p', database: 'db' }, streams: [{ name: 'q', query: 'select 1 as x' }] }, 'x');
  });

  it('names the field at fault', () => {
    invalid({ connection: 'postgres://h/db', streams: [{ name: 'a', table: 't', query: 'select 1' }] }, /streams\[0\]: set either table or query/);
    invalid({ connection: 'postgres://h/db', streams: [{ name: 'a' }] }, /set either table or query/);
    invalid({ connection: 'mysql://h/db', streams: [{ name: 'a', table: 't' }] }, /connection: expected a URL starting with postgres:\/\//);
    invalid({ connection: 'postgres://h/db', streams: [{ name: 'a', table: 't', primary_keys: ['id'] }] }, /primary_keys/);
    invalid({ connection: 'postgres://h/db', streams: [{ name: 'a', table: 't' }, { name: 'a', table: 'u' }] }, /streams\[1\]\.name: stream a is defined twice/);
    invalid({ connection: 'postgres://h/db', streams: [{ name: 'a', table: 't', chunk_size: 0 }] }, /streams\[0\]\.chunk_size/);
  });

  it('names a connection without its password', () => {
    assert.equal(connectionLocation('postgres://ann:s3cret@db.example:6543/shop?sslmode=require', 'postgres', 5432), 'postgres://ann@db.example:6543/shop');
    assert.equal(connectionLocation({ host: 'h', user: 'root', password: 's3cret', database: 'crm' }, 'mysql', 3306), 'mysql://root@h:3306/crm');
  });
});

describe('parseTableName', () => {
  it('splits schema and table, keeping quoted parts whole', () => {
    assert.deepEqual(parseTableName('shop.orders', 'x'), { schema: 'shop', name: 'orders' });
    assert.deepEqual(parseTableName('Orders', 'x'), { name: 'Orders' });
    assert.deepEqual(parseTableName('"my.schema"."a ""b"""', 'x'), { schema: 'my.schema', name: 'a "b"' });
  });

  it('refuses what is not a table name', () => {
    for (const text of ['', 'a.b.c', 'a.', '.a', 'a..b', ' a', '"a']) {
      assert.throws(() => parseTableName(text, 'stream s'), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && e.message.includes('stream s'), text);
    }
  });
});

describe('stream state', () => {
  it('reads the states the reader writes', () => {
    assert.deepEqual(parseState({ cursor: 'u', watermark: '2024-01-01 00:00:00+00', pk: ['3'] }, 'u', ['id'], 'w'), { cursor: 'u', watermark: '2024-01-01 00:00:00+00', pk: ['3'] });
    assert.deepEqual(parseState({ run: 'in_progress', rows: 10, pk: ['10'] }, undefined, ['id'], 'w'), { run: 'in_progress', rows: 10, pk: ['10'] });
    assert.equal(parseState(undefined, 'u', [], 'w'), undefined);
  });

  it('refuses a state of another configuration, where resuming would skip or repeat rows', () => {
    const refuses = (state: Parameters<typeof parseState>[0], cursor: string | undefined, pk: string[], pattern: RegExp) =>
      assert.throws(() => parseState(state, cursor, pk, 'stream s'), (e) => isConnectorError(e, 'CONNECTOR_INVALID_CONFIG') && pattern.test(e.message));
    refuses({ cursor: 'u', watermark: '1' }, 'updated_at', [], /belongs to cursor column u, not updated_at/);
    refuses({ run: 'complete', rows: 3 }, 'u', [], /not the state of an incremental stream/);
    refuses({ cursor: 'u', watermark: '1' }, undefined, [], /not the state of a full load/);
    refuses({ cursor: 'u', watermark: '1', pk: ['1'] }, 'u', ['a', 'b'], /a value for each primary key column \(a, b\)/);
    refuses({ cursor: 'u', watermark: '1' }, 'u', ['id'], /no primary key position/);
    refuses(['x'], 'u', [], /not a database stream state/);
  });
});
