import type { Engine } from '@strata/delta';
import { QualityError } from '../errors.ts';
import { RelationColumns } from './columns.ts';
import type { ResolvedCheck } from './resolve.ts';
import { fromItem } from './sql.ts';

type RelationshipsCheck = Extract<ResolvedCheck, { type: 'relationships' }>;

/**
 * Checks that a relationships check's parent relation can be read and has its `field`, so that a
 * wrong `to:` or `field:` is reported as such (QUALITY_CHECK_ERROR naming the check) before any
 * data is read.
 */
export async function checkParent(engine: Engine, check: RelationshipsCheck, resolveRelation?: (name: string) => string): Promise<void> {
  let parent: RelationColumns;
  try {
    parent = await RelationColumns.describe(engine, fromItem(resolveRelation ? resolveRelation(check.to) : check.to));
  } catch (e) {
    throw new QualityError('QUALITY_CHECK_ERROR', `check ${check.name}: the relation of to: (${check.to}) cannot be read: ${(e as Error).message}`, { cause: e });
  }
  parent.require(check.name, check.field, `${check.to} (the relation of to:)`);
}
