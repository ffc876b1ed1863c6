import { storageClosed } from '../errors.ts';

export const closed = (name: string) => storageClosed(`memory:${name}`);
