export type { DeletionVectorDescriptor } from './descriptor.ts';
export { deletionVectorFilePath, deletionVectorUniqueId } from './descriptor.ts';
export { deletionVectorError, isDeletionVectorError } from './errors.ts';
export { readDeletionVector } from './read.ts';
export { PORTABLE_ROARING_MAGIC, decodeRoaringBitmapArray } from './roaring.ts';
export { z85Decode, z85Encode } from './z85.ts';
