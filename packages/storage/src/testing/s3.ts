import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../s3/index.ts';
import type { S3StoreConfig } from '../s3/index.ts';

/** What `scripts/moto.mjs` exports (plain JavaScript, so typed here). */
interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}
interface MotoModule {
  startMoto(): Promise<MotoServer>;
}

const MOTO_SCRIPT = new URL('../../../../scripts/moto.mjs', import.meta.url).href;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
const REGION = 'us-east-1';

let ownServer: Promise<MotoServer> | undefined;

// A server this module started is stopped once all tests of the file have run (a root-level hook),
// or, should the process exit earlier, killed on exit.
after(stopS3TestServer);

export interface S3TestStore {
  readonly store: S3ObjectStore;
  /** `s3://bucket` of the fresh bucket. */
  readonly uri: string;
  /** Environment a child process needs to reach the bucket through `openStore(uri)`. */
  readonly env: Record<string, string>;
}

/**
 * A store on a fresh, uniquely named bucket of the S3 test server: the one at STRATA_TEST_S3_ENDPOINT
 * (set by scripts/run-tests.mjs), or else a moto server started here once per process. Throws when no
 * server can be reached, so S3 tests fail rather than skip when S3 is missing.
 */
export async function s3TestStore(name: string): Promise<S3TestStore> {
  const endpoint = await testEndpoint();
  const bucket = bucketName(name);
  const config: S3StoreConfig = { bucket, prefix: '', region: REGION, endpoint, forcePathStyle: true, credentials: CREDENTIALS };
  const client = new S3Client({ region: REGION, endpoint, forcePathStyle: true, credentials: CREDENTIALS, maxAttempts: 2 });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    throw new Error(`cannot create test bucket ${bucket} on the S3 test server ${endpoint}: ${(e as Error).message}`, {
      cause: e,
    });
  } finally {
    client.destroy();
  }
  const store = new S3ObjectStore(config);
  return {
    store,
    uri: store.root,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
    },
  };
}

/** Stops the moto server this process started, if any; a server given by STRATA_TEST_S3_ENDPOINT is left alone. */
export async function stopS3TestServer(): Promise<void> {
  const server = ownServer;
  ownServer = undefined;
  await (await server?.catch(() => undefined))?.stop();
}

async function testEndpoint(): Promise<string> {
  const fromEnv = process.env.STRATA_TEST_S3_ENDPOINT;
  if (fromEnv) return fromEnv;
  ownServer ??= startOwnServer();
  return (await ownServer).endpoint;
}

async function startOwnServer(): Promise<MotoServer> {
  const { startMoto } = (await import(MOTO_SCRIPT)) as MotoModule;
  const server = await startMoto();
  process.once('exit', () => void server.stop());
  return server;
}

function bucketName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 36);
  return `strata-${slug || 'test'}-${randomBytes(6).toString('hex')}`;
}
