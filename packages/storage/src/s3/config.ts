import { StorageError } from '../errors.ts';
import { joinKey } from '../object-store.ts';

/** Configuration of an S3 (or S3-compatible) object store. */
export interface S3StoreConfig {
  readonly bucket: string;
  /** Key prefix below which the store is rooted, without leading or trailing '/'; '' for the bucket root. */
  readonly prefix: string;
  readonly region: string;
  /** Endpoint of an S3-compatible server (MinIO, moto, R2 …); omitted for AWS itself. */
  readonly endpoint?: string;
  /** Address buckets as `endpoint/bucket` rather than `bucket.endpoint`; what most S3-compatible servers need. */
  readonly forcePathStyle: boolean;
  /** Static credentials; omitted to use the AWS SDK's default provider chain (env, profile, instance role). */
  readonly credentials?: S3Credentials;
}

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const DEFAULT_REGION = 'us-east-1';

/**
 * Builds a store configuration from an `s3://bucket/prefix` URI and the usual AWS environment variables:
 * AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN,
 * AWS_REGION (or AWS_DEFAULT_REGION, else us-east-1). An explicit endpoint implies path-style addressing.
 * Fails with `STORAGE_INVALID_LOCATION` when the URI is not an s3:// URI with a bucket.
 */
export function s3ConfigFromEnv(uri: string, env: NodeJS.ProcessEnv = process.env): S3StoreConfig {
  const { bucket, prefix } = parseS3Uri(uri);
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  return {
    bucket,
    prefix,
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION,
    ...(endpoint !== undefined ? { endpoint } : {}),
    forcePathStyle: endpoint !== undefined,
    ...(accessKeyId !== undefined && secretAccessKey !== undefined
      ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) } }
      : {}),
  };
}

/** Splits `s3://bucket/some/prefix` into bucket and normalized prefix. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  const bucket = match?.[1];
  if (bucket === undefined || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new StorageError('STORAGE_INVALID_LOCATION', `not an S3 location (expected s3://bucket/prefix): ${uri}`);
  }
  return { bucket, prefix: joinKey(match?.[2] ?? '') };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
