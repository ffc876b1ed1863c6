import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Metadata } from '../actions/index.ts';
import { isDeltaError } from '../errors.ts';
import { parseSchema } from '../schema/index.ts';
import { assertReadable, assertWritable, protocolForNewTable } from './features.ts';

const schema = parseSchema('{"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{}}]}');
const meta = (configuration: Record<string, string> = {}): Metadata => ({
  id: 'x',
  format: { provider: 'parquet' },
  schemaString: '{"type":"struct","fields":[]}',
  partitionColumns: [],
  configuration,
});

describe('protocol features', () => {
  it('reads supported reader features and refuses others by name', () => {
    assertReadable({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors', 'columnMapping', 'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck'], writerFeatures: [] }, 't');
    assert.throws(
      () => assertReadable({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['variantType'], writerFeatures: [] }, 't'),
      (e: unknown) => isDeltaError(e, 'DELTA_UNSUPPORTED_FEATURE') && /variantType/.test(e.message),
    );
    assert.throws(() => assertReadable({ minReaderVersion: 99, minWriterVersion: 2 }, 't'), (e: unknown) => isDeltaError(e, 'DELTA_INVALID_PROTOCOL'));
    assert.throws(() => assertReadable(undefined, 't'), (e: unknown) => isDeltaError(e, 'DELTA_STATE_RECONSTRUCTION'));
  });

  it('refuses writes that need features it does not implement', () => {
    assertWritable({ minReaderVersion: 1, minWriterVersion: 4 }, meta(), schema, 't');
    assert.throws(
      () => assertWritable({ minReaderVersion: 1, minWriterVersion: 4 }, meta({ 'delta.enableChangeDataFeed': 'true' }), schema, 't'),
      (e: unknown) => isDeltaError(e, 'DELTA_UNSUPPORTED_FEATURE') && /changeDataFeed/.test(e.message),
    );
    assert.throws(
      () => assertWritable({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [], writerFeatures: ['identityColumns'] }, meta(), schema, 't'),
      (e: unknown) => isDeltaError(e, 'DELTA_UNSUPPORTED_FEATURE') && /identityColumns/.test(e.message),
    );
  });

  it('gives new tables the smallest protocol they need', () => {
    assert.deepEqual(protocolForNewTable(schema, {}), { minReaderVersion: 1, minWriterVersion: 2 });
    assert.deepEqual(protocolForNewTable(schema, { 'delta.constraints.c': 'a > 0' }), { minReaderVersion: 1, minWriterVersion: 3 });
    const ntz = parseSchema('{"type":"struct","fields":[{"name":"t","type":"timestamp_ntz","nullable":true,"metadata":{}}]}');
    const p = protocolForNewTable(ntz, {});
    assert.equal(p.minReaderVersion, 3);
    assert.deepEqual(p.readerFeatures, ['timestampNtz']);
  });
});
