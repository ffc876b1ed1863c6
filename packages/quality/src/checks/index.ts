/**
 * The check engine: check definitions (zod schemas, YAML as data stewards write it), their
 * evaluation over a relation with as few passes over the data as possible, and the SQL that
 * splits a relation into the rows to keep and the rows to quarantine by its drop checks.
 */
export {
  CheckSchema,
  ChecksSchema,
  NotNullCheckSchema,
  UniqueCheckSchema,
  AcceptedValuesCheckSchema,
  RangeCheckSchema,
  RegexCheckSchema,
  RelationshipsCheckSchema,
  RowCountCheckSchema,
  FreshnessCheckSchema,
  SchemaCheckSchema,
  ExpressionCheckSchema,
  CustomSqlCheckSchema,
  CustomCheckSchema,
  ROW_LEVEL_TYPES,
} from './definition.ts';
export type { CheckAction, CheckDefinition, CheckType, CustomCheckContext, CustomCheckResult, CustomCheckRun, ParsedCheck } from './definition.ts';
export { checkName, checksFromYaml, isRowLevel, resolveChecks } from './resolve.ts';
export type { ResolvedCheck } from './resolve.ts';
export { describeRelation, evaluateChecks } from './evaluate.ts';
export { blocksCommit } from './outcome.ts';
export type { CheckOutcome, EvaluateOptions, SampleRow } from './outcome.ts';
export { dropPredicate, dropRelationSql, failureReasonSql, rowFilter } from './drop.ts';
export type { DropOptions } from './drop.ts';
export type { Column } from './columns.ts';
