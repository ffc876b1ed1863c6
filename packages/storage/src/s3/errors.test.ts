import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoSuchKey, S3ServiceException } from '@aws-sdk/client-s3';
import type { StorageErrorCode } from '../index.ts';
import { fromS3Error } from './errors.ts';

// Faults a local test server cannot produce (throttling, 5xx, denied access), built as the SDK builds them.
function serviceError(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status }, message: name });
}

const URI = 's3://bucket/table/_delta_log/00000000000000000003.json';

describe('fromS3Error', () => {
  const cases: [string, unknown, boolean, StorageErrorCode][] = [
    ['412 on a conditional write', serviceError('PreconditionFailed', 412), true, 'STORAGE_EXISTS'],
    ['409 on a conditional write', serviceError('ConditionalRequestConflict', 409), true, 'STORAGE_EXISTS'],
    ['412 on a plain write', serviceError('PreconditionFailed', 412), false, 'STORAGE_IO'],
    ['NoSuchKey', new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'The specified key does not exist.' }), false, 'STORAGE_NOT_FOUND'],
    ['HEAD 404', serviceError('NotFound', 404), false, 'STORAGE_NOT_FOUND'],
    ['NoSuchBucket', serviceError('NoSuchBucket', 404), false, 'STORAGE_INVALID_LOCATION'],
    ['403', serviceError('AccessDenied', 403), false, 'STORAGE_PERMISSION_DENIED'],
    ['bad key id', serviceError('InvalidAccessKeyId', 403), false, 'STORAGE_PERMISSION_DENIED'],
    ['SlowDown', serviceError('SlowDown', 503), false, 'STORAGE_UNAVAILABLE'],
    ['500', serviceError('InternalError', 500), true, 'STORAGE_UNAVAILABLE'],
    ['429', serviceError('TooManyRequests', 429), false, 'STORAGE_UNAVAILABLE'],
    ['connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false, 'STORAGE_UNAVAILABLE'],
    ['timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), false, 'STORAGE_UNAVAILABLE'],
    ['400', serviceError('InvalidArgument', 400), false, 'STORAGE_IO'],
    ['not an error object', 'boom', false, 'STORAGE_IO'],
  ];
  for (const [label, err, conditional, code] of cases) {
    it(`maps ${label} to ${code}, naming the URI`, () => {
      const mapped = fromS3Error(err, URI, 'write', conditional);
      assert.equal(mapped.code, code);
      assert.equal(mapped.retryable, code === 'STORAGE_UNAVAILABLE');
      assert.ok(mapped.message.includes(URI), mapped.message);
      assert.equal(mapped.cause, err);
    });
  }
});
