export { QualityError, QualityErrorCodes, isQualityError } from './errors.ts';
export type { QualityErrorCode } from './errors.ts';
export {
  CHANGE_RULES,
  contractChecks,
  describeSchema,
  diffContracts,
  diffContractWithSchema,
  formatDiff,
  loadContract,
  normalizeType,
  parseContract,
  typeChange,
  typeMatches,
} from './contracts/index.ts';
export type { ActualColumn, ChangeRule, CheckLike, Contract, ContractChange, ContractColumn, ContractDiff, ContractInput } from './contracts/index.ts';
export {
  CheckSchema,
  ChecksSchema,
  ROW_LEVEL_TYPES,
  blocksCommit,
  checkName,
  checksFromYaml,
  dropPredicate,
  describeRelation,
  dropRelationSql,
  evaluateChecks,
  failureReasonSql,
  isRowLevel,
  resolveChecks,
  rowFilter,
} from './checks/index.ts';
export type {
  CheckAction,
  CheckDefinition,
  CheckOutcome,
  CheckType,
  Column,
  CustomCheckContext,
  CustomCheckResult,
  CustomCheckRun,
  DropOptions,
  EvaluateOptions,
  ParsedCheck,
  ResolvedCheck,
  SampleRow,
} from './checks/index.ts';
