import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeletionVectorDescriptor } from './descriptor.ts';
import { deletionVectorFilePath, deletionVectorUniqueId } from './descriptor.ts';
import { isDeletionVectorError } from './errors.ts';

const base = { sizeInBytes: 40, cardinality: 6 } as const;
const relative = (pathOrInlineDv: string): DeletionVectorDescriptor => ({
  ...base,
  storageType: 'u',
  pathOrInlineDv,
  offset: 1,
});

describe('deletionVectorUniqueId', () => {
  it('is storage type and path, plus @offset when there is one', () => {
    assert.equal(
      deletionVectorUniqueId({ ...base, storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 4 }),
      'uab^-aqEH.-t@S}K{vb[*k^@4',
    );
    assert.equal(deletionVectorUniqueId({ ...base, storageType: 'i', pathOrInlineDv: 'wi5b=' }), 'iwi5b=');
    assert.equal(
      deletionVectorUniqueId({ ...base, storageType: 'p', pathOrInlineDv: 's3://t/dv.bin', offset: 0 }),
      'ps3://t/dv.bin@0',
    );
  });
});

describe('deletionVectorFilePath', () => {
  it('decodes a random prefix and UUID (protocol example 1)', () => {
    assert.equal(
      deletionVectorFilePath(relative('ab^-aqEH.-t@S}K{vb[*k^')), 
      'ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin',
    );
  });

  it('puts the file at the table root when there is no prefix', () => {
    assert.equal(
      deletionVectorFilePath(relative('vBn[lx{q8@P<9BNH/isA')),
      'deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin',
    );
  });

  it('returns absolute paths as written and nothing for inline DVs', () => {
    const path = 's3://mytable/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin';
    assert.equal(deletionVectorFilePath({ ...base, storageType: 'p', pathOrInlineDv: path, offset: 4 }), path);
    assert.equal(deletionVectorFilePath({ ...base, storageType: 'i', pathOrInlineDv: 'wi5b=' }), undefined);
  });

  it('rejects relative paths that do not end in a Z85 UUID', () => {
    const fails = (pathOrInlineDv: string, message: RegExp) =>
      assert.throws(
        () => deletionVectorFilePath(relative(pathOrInlineDv)),
        (e: unknown) =>
          isDeletionVectorError(e) && e.code === 'DELTA_DELETION_VECTOR' && message.test(e.message),
      );
    fails('vBn[lx{q8@P<9BNH/is', /shorter than a 20-character Z85 UUID/);
    fails('vBn[lx{q8@P<9BNH is~', /is not a Z85-encoded UUID/);
    fails('##########vBn[lx{q8@', /is not a Z85-encoded UUID/);
  });

  it('rejects an unknown storage type read from a log', () => {
    const json = '{"storageType":"x","pathOrInlineDv":"a","sizeInBytes":1,"cardinality":1}';
    const d = JSON.parse(json) as DeletionVectorDescriptor;
    assert.throws(() => deletionVectorFilePath(d), /unknown deletion vector storage type "x"/);
  });
});
