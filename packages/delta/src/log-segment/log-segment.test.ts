import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDeltaError } from '../errors.ts';
import { classifyLogFile, padVersion } from './file-names.ts';
import type { CheckpointFiles, CommitFile, LogListing } from './log-segment.ts';
import { buildLogSegment } from './log-segment.ts';

const commits = (...versions: number[]): CommitFile[] =>
  versions.map((v) => ({ version: v, key: `_delta_log/${padVersion(v)}.json`, lastModified: 1000 + v }));
const checkpoint = (version: number, parts = 1): CheckpointFiles => ({
  version,
  keys: Array.from({ length: parts }, (_, i) => `_delta_log/${padVersion(version)}.checkpoint.${i}.parquet`),
  format: 'parquet',
});
const listing = (c: CommitFile[], cp: CheckpointFiles[] = []): LogListing => ({ commits: c, checkpoints: cp });

describe('log file names', () => {
  it('classifies commits and every checkpoint naming scheme', () => {
    assert.deepEqual(classifyLogFile('00000000000000000007.json'), { kind: 'commit', version: 7 });
    assert.deepEqual(classifyLogFile('00000000000000000010.checkpoint.parquet'), {
      kind: 'checkpoint',
      version: 10,
      part: 1,
      parts: 1,
      format: 'parquet',
    });
    assert.equal((classifyLogFile('00000000000000000010.checkpoint.0000000002.0000000003.parquet') as { part: number }).part, 2);
    const v2 = classifyLogFile('00000000000000000002.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json');
    assert.equal(v2.kind === 'checkpoint' && v2.uuid, '3a0d65cd-4056-49b8-937b-95f9e3ee90e5');
    assert.equal(classifyLogFile('00000000000000000010.crc').kind, 'other');
    assert.equal(classifyLogFile('_last_checkpoint').kind, 'other');
  });
});

describe('log segments', () => {
  it('starts from the newest checkpoint at or below the target', () => {
    const seg = buildLogSegment(listing(commits(0, 1, 2, 3, 4, 5), [checkpoint(2), checkpoint(4)]), undefined, 't');
    assert.equal(seg.version, 5);
    assert.equal(seg.checkpoint?.version, 4);
    assert.deepEqual(
      seg.commits.map((c) => c.version),
      [5],
    );
    const old = buildLogSegment(listing(commits(0, 1, 2, 3, 4, 5), [checkpoint(2), checkpoint(4)]), 3, 't');
    assert.equal(old.checkpoint?.version, 2);
    assert.deepEqual(
      old.commits.map((c) => c.version),
      [3],
    );
  });

  it('works from a checkpoint whose earlier commits were cleaned up', () => {
    const seg = buildLogSegment(listing(commits(10, 11), [checkpoint(10)]), undefined, 't');
    assert.equal(seg.version, 11);
    assert.deepEqual(
      seg.commits.map((c) => c.version),
      [11],
    );
  });

  it('fails on gaps with DELTA_VERSIONS_NOT_CONTIGUOUS naming the missing commit', () => {
    assert.throws(
      () => buildLogSegment(listing(commits(0, 1, 3)), undefined, 't'),
      (e: unknown) => isDeltaError(e, 'DELTA_VERSIONS_NOT_CONTIGUOUS') && e.message.includes(`${padVersion(2)}.json`),
    );
    assert.throws(() => buildLogSegment(listing(commits(1, 2)), undefined, 't'), (e: unknown) => isDeltaError(e, 'DELTA_VERSIONS_NOT_CONTIGUOUS'));
  });

  it('fails on an empty log and on versions beyond the latest', () => {
    assert.throws(() => buildLogSegment(listing([]), undefined, 't'), (e: unknown) => isDeltaError(e, 'DELTA_TABLE_NOT_FOUND'));
    assert.throws(() => buildLogSegment(listing(commits(0, 1)), 5, 't'), (e: unknown) => isDeltaError(e, 'DELTA_VERSION_NOT_FOUND'));
  });
});
