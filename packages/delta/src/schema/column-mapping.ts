import type { Metadata } from '../actions/index.ts';
import type { StructField } from './types.ts';

export type ColumnMappingMode = 'none' | 'name' | 'id';

export function columnMappingMode(metadata: Metadata): ColumnMappingMode {
  const m = metadata.configuration['delta.columnMapping.mode'];
  return m === 'name' || m === 'id' ? m : 'none';
}

/** The column name used inside data files: the physical name under column mapping, else the logical name. */
export function physicalName(field: StructField, mode: ColumnMappingMode): string {
  if (mode === 'none') return field.name;
  const p = field.metadata['delta.columnMapping.physicalName'];
  return typeof p === 'string' && p.length > 0 ? p : field.name;
}
