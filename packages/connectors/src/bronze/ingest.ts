import type { AssetContext } from '@strata/core';
import type { Source } from '../source.ts';
import type { LoadReport } from './load-stream.ts';
import { loadStream } from './load-stream.ts';

/**
 * Loads one stream of a source into the asset's bronze table (and its `__quarantine` companion),
 * from an asset's compute: `compute: (ctx) => ingest(ctx, restApiSource(config), 'bookings')`.
 * Returns what compute returns: the load report as metadata and the rows written.
 */
export async function ingest(ctx: AssetContext, source: Source, stream: string): Promise<{ metadata: Record<string, unknown>; rowsWritten: number }> {
  let report: LoadReport;
  try {
    report = await loadStream(
      source,
      stream,
      { engine: ctx.lake.engine, table: () => ctx.lake.table(), quarantine: () => ctx.lake.table('quarantine') },
      {
        runId: ctx.runId,
        signal: ctx.signal,
        log: (level, message, data) => ctx.log[level](message, data),
      },
    );
  } finally {
    await source.close?.();
  }
  ctx.log.info(
    `${stream}: ${report.rowsWritten} row(s) in ${report.batches} batch(es)${report.rejected > 0 ? `, ${report.rejected} quarantined` : ''}${report.resumed ? ' (incremental)' : ' (initial)'}`,
  );
  return { metadata: loadMetadata(report), rowsWritten: report.rowsWritten };
}

/** The load report as materialization metadata. */
export function loadMetadata(report: LoadReport): Record<string, unknown> {
  return {
    source_stream: report.stream,
    batches: report.batches,
    rows_loaded: report.rowsWritten,
    rows_quarantined: report.rejected,
    extraction: report.resumed ? 'incremental' : 'initial',
    ...(report.newColumns.length > 0 ? { new_columns: report.newColumns } : {}),
    ...(report.typeChanges.length > 0 ? { type_changes: report.typeChanges } : {}),
  };
}
