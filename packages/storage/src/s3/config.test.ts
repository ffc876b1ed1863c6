import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError, s3ConfigFromEnv } from '../index.ts';

describe('s3ConfigFromEnv', () => {
  it('parses bucket and prefix and defaults to AWS itself', () => {
    assert.deepEqual(s3ConfigFromEnv('s3://my-lake/bronze/parks/', {}), {
      bucket: 'my-lake',
      prefix: 'bronze/parks',
      region: 'us-east-1',
      forcePathStyle: false,
    });
    assert.equal(s3ConfigFromEnv('s3://my-lake', {}).prefix, '');
    assert.equal(s3ConfigFromEnv('s3://my-lake/', {}).prefix, '');
  });

  it('takes region, endpoint and credentials from the AWS variables', () => {
    const config = s3ConfigFromEnv('s3://bkt/p', {
      AWS_ENDPOINT_URL: 'http://general:9000',
      AWS_ENDPOINT_URL_S3: 'http://s3-only:9000',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'SECRET',
      AWS_SESSION_TOKEN: 'TOKEN',
      AWS_REGION: 'eu-central-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    assert.deepEqual(config, {
      bucket: 'bkt',
      prefix: 'p',
      region: 'eu-central-1',
      endpoint: 'http://s3-only:9000',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'TOKEN' },
    });
    const fallback = s3ConfigFromEnv('s3://bkt', { AWS_ENDPOINT_URL: 'http://general:9000', AWS_DEFAULT_REGION: 'eu-west-1' });
    assert.equal(fallback.endpoint, 'http://general:9000');
    assert.equal(fallback.region, 'eu-west-1');
    assert.equal(fallback.credentials, undefined);
  });

  it('leaves credentials to the SDK unless both key id and secret are set', () => {
    assert.equal(s3ConfigFromEnv('s3://bkt', { AWS_ACCESS_KEY_ID: 'AKID' }).credentials, undefined);
    assert.deepEqual(s3ConfigFromEnv('s3://bkt', { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'S', AWS_SESSION_TOKEN: '' }).credentials, {
      accessKeyId: 'A',
      secretAccessKey: 'S',
    });
  });

  it('rejects what is not an s3:// URI with a valid bucket', () => {
    for (const uri of ['s3://', 's3:///prefix', 'S3://b/p', 'gs://bucket/p', 's3://Upper_Case/p', 's3://a/p', '/local/path']) {
      assert.throws(
        () => s3ConfigFromEnv(uri, {}),
        (e) => isStorageError(e, 'STORAGE_INVALID_LOCATION') && e.message.includes(uri),
        uri,
      );
    }
  });
});
