export type * from './types.ts';
export { parseActions, serializeActions } from './codec.ts';
