import { ConnectorError } from '../errors.ts';
import type { SourceContext } from '../source.ts';
import type { StreamConfig } from './config.ts';
import { readPages } from './pages.ts';
import { createPaginator } from './pagination.ts';
import { valueAt } from './records.ts';
import { firstPageUrl, paginationOf } from './stream.ts';
import type { StreamReader } from './stream.ts';

/**
 * The distinct values of a child stream's `parent.key` over every record of its parent stream,
 * keyed by their text, in the order first seen. Records without a string or number there are skipped
 * (with a warning).
 */
export async function parentKeys(reader: StreamReader, child: StreamConfig, ctx: SourceContext): Promise<Map<string, string | number>> {
  const link = child.parent;
  const parent = link === undefined ? undefined : reader.streams.get(link.stream);
  if (link === undefined || parent === undefined) throw new ConnectorError('CONNECTOR_INVALID_CONFIG', `stream ${child.name}: parent stream ${link?.stream ?? '(none)'} is not configured`);
  const keys = new Map<string, string | number>();
  let skipped = 0;
  for await (const record of allRecords(reader, parent, ctx, child.name)) {
    const value = valueAt(record, link.key);
    if (typeof value === 'string' || typeof value === 'number') keys.set(String(value), value);
    else skipped++;
  }
  if (skipped > 0) {
    ctx.log('warn', `stream ${child.name}: ${skipped} records of ${parent.name} have no string or number at ${link.key}; they were skipped`);
  }
  return keys;
}

/**
 * Every record of `stream`, all pages (under every parent of its own, if it has one), without the
 * incremental filter: a child stream needs all its parents, not only the recently changed ones.
 */
async function* allRecords(reader: StreamReader, stream: StreamConfig, ctx: SourceContext, child: string): AsyncGenerator<Readonly<Record<string, unknown>>> {
  const paginator = createPaginator(paginationOf(reader, stream));
  const rctx = { stream: `${stream.name} (parent of ${child})`, signal: ctx.signal, log: ctx.log };
  const firstPages =
    stream.parent === undefined
      ? [firstPageUrl(reader, stream, undefined)]
      : [...(await parentKeys(reader, stream, ctx)).keys()].map((key) => firstPageUrl(reader, stream, undefined, key));
  for (const firstPage of firstPages) {
    const seq = { client: reader.client, paginator, firstPage, recordsPath: stream.records_path };
    for await (const page of readPages(seq, { next: paginator.first, page: 1 }, rctx)) {
      if (page.rejected.length > 0) ctx.log('warn', `stream ${rctx.stream}: ${page.rejected.length} items of ${page.url} are not objects; ignored`);
      yield* page.records;
    }
  }
}
