import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { StorageError } from '../errors.ts';
import type { ListOptions, ObjectMeta, ObjectStore, PutBody } from '../object-store.ts';
import { joinKey } from '../object-store.ts';
import type { S3StoreConfig } from './config.ts';
import { fromS3Error } from './errors.ts';

/** Creates the AWS SDK client for a store configuration; the SDK's default retry policy applies. */
export function createS3Client(config: S3StoreConfig): S3Client {
  return new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
  });
}

/**
 * Object store over an S3 bucket and key prefix. `putIfAbsent` is a conditional PUT
 * (`If-None-Match: *`), which S3 performs atomically: of concurrent writers exactly one succeeds and
 * the others get 412 (or 409 while the winner's write is still in flight).
 *
 * `{ file }` bodies are streamed with a single PutObject, so a file may be at most 5 GB. The SDK does not
 * retry streamed requests (a consumed stream cannot be replayed), so those are retried here, each attempt
 * re-opening the file, up to the client's `maxAttempts`.
 */
export class S3ObjectStore implements ObjectStore {
  readonly root: string;
  readonly config: S3StoreConfig;
  private readonly client: S3Client;

  /** `client` lets stores share one SDK client (its connection pool); by default one is created from `config`. */
  constructor(config: S3StoreConfig, client: S3Client = createS3Client(config)) {
    this.config = { ...config, prefix: joinKey(config.prefix) };
    this.client = client;
    this.root = `s3://${config.bucket}${this.config.prefix ? `/${this.config.prefix}` : ''}`;
  }

  localPath(): undefined {
    return undefined;
  }

  child(prefix: string): S3ObjectStore {
    return new S3ObjectStore({ ...this.config, prefix: joinKey(this.config.prefix, prefix) }, this.client);
  }

  async get(key: string): Promise<Uint8Array> {
    const k = this.key(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: k }));
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (e) {
      throw fromS3Error(e, this.uri(k), 'read');
    }
  }

  async head(key: string): Promise<ObjectMeta> {
    const k = this.key(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: k }));
      return { key: joinKey(key), size: out.ContentLength ?? 0, lastModified: out.LastModified?.getTime() ?? 0 };
    } catch (e) {
      throw fromS3Error(e, this.uri(k), 'stat');
    }
  }

  put(key: string, body: PutBody): Promise<void> {
    return this.write(key, body, false);
  }

  putIfAbsent(key: string, body: PutBody): Promise<void> {
    return this.write(key, body, true);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectMeta[]> {
    const base = this.config.prefix ? `${this.config.prefix}/` : '';
    const startAfter = options.startAfter ? base + options.startAfter : undefined;
    const out: ObjectMeta[] = [];
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.config.bucket,
            Prefix: base + prefix || undefined,
            StartAfter: startAfter,
            ContinuationToken: token,
          }),
        )
        .catch((e: unknown) => {
          throw fromS3Error(e, this.uri(base + prefix), 'list');
        });
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined || !o.Key.startsWith(base)) continue;
        out.push({ key: o.Key.slice(base.length), size: o.Size ?? 0, lastModified: o.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // S3 orders keys by UTF-8 bytes (also what StartAfter compares); pages arrive in that order, sorting guards it.
    return out
      .map((meta) => ({ meta, bytes: Buffer.from(meta.key) }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
      .map((x) => x.meta);
  }

  async delete(key: string): Promise<void> {
    const k = this.key(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: k }));
    } catch (e) {
      const err = fromS3Error(e, this.uri(k), 'delete');
      // S3 itself answers 204 for a missing key; some compatible servers answer 404.
      if (err.code !== 'STORAGE_NOT_FOUND') throw err;
    }
  }

  private async write(key: string, body: PutBody, ifAbsent: boolean): Promise<void> {
    const k = this.key(key);
    const uri = this.uri(k);
    const action = ifAbsent ? 'create' : 'write';
    const request = { Bucket: this.config.bucket, Key: k, ...(ifAbsent ? { IfNoneMatch: '*' } : {}) };
    if (body instanceof Uint8Array) {
      try {
        await this.client.send(new PutObjectCommand({ ...request, Body: body, ContentLength: body.byteLength }));
        return;
      } catch (e) {
        throw fromS3Error(e, uri, action, ifAbsent);
      }
    }
    const size = await fileSize(body.file, uri);
    const attempts = await this.client.config.maxAttempts();
    for (let attempt = 1; ; attempt++) {
      const stream = createReadStream(body.file);
      try {
        await this.client.send(new PutObjectCommand({ ...request, Body: stream, ContentLength: size }));
        return;
      } catch (e) {
        const err = fromS3Error(e, uri, action, ifAbsent);
        if (!err.retryable || attempt >= attempts) throw err;
        await sleep(Math.random() * Math.min(20_000, 100 * 2 ** attempt));
      } finally {
        stream.destroy();
      }
    }
  }

  private key(key: string): string {
    return joinKey(this.config.prefix, key);
  }

  private uri(fullKey: string): string {
    return `s3://${this.config.bucket}/${fullKey}`;
  }
}

async function fileSize(file: string, uri: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (e) {
    throw new StorageError('STORAGE_IO', `cannot write ${uri}: cannot read local file ${file}: ${(e as Error).message}`, {
      cause: e,
    });
  }
}
