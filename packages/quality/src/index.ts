export { QualityError, QualityErrorCodes, isQualityError } from './errors.ts';
export type { QualityErrorCode } from './errors.ts';
