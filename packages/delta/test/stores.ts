import { join } from 'node:path';
import type { ObjectStore } from '@strata/storage';
import { LocalObjectStore } from '@strata/storage';
import { s3TestStore } from '@strata/storage/testing';
import { tempDir } from './temp.ts';

/** The object stores every integration suite runs against, as Kysely runs once per dialect. */
export const STORE_KINDS: readonly { name: string; make: (label: string) => Promise<ObjectStore> }[] = [
  { name: 'local', make: async (label) => new LocalObjectStore({ directory: join(tempDir(), label) }) },
  { name: 's3', make: async (label) => (await s3TestStore(label)).store.child(label) },
];
