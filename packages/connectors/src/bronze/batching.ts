import type { BatchData, SourceBatch } from '../source.ts';

/** Records or rows a batch holds in memory (an SQL batch: none). */
function size(data: BatchData): number {
  return data.kind === 'records' ? data.records.length : data.kind === 'typed' ? data.rows.length : 0;
}

function sameColumns(a: SourceBatch, b: SourceBatch): boolean {
  return JSON.stringify(a.columns ?? {}) === JSON.stringify(b.columns ?? {});
}

function canMerge(a: SourceBatch, b: SourceBatch): boolean {
  if (!sameColumns(a, b)) return false;
  if (a.data.kind === 'records' && b.data.kind === 'records') return true;
  return a.data.kind === 'typed' && b.data.kind === 'typed' && JSON.stringify(a.data.columns) === JSON.stringify(b.data.columns);
}

function merge(a: SourceBatch, b: SourceBatch): SourceBatch {
  const data: BatchData =
    a.data.kind === 'records' && b.data.kind === 'records'
      ? { kind: 'records', records: [...a.data.records, ...b.data.records] }
      : a.data.kind === 'typed' && b.data.kind === 'typed'
        ? { kind: 'typed', columns: a.data.columns, rows: [...a.data.rows, ...b.data.rows] }
        : a.data;
  const rejected = [...(Array.isArray(a.rejected) ? a.rejected : []), ...(Array.isArray(b.rejected) ? b.rejected : [])];
  return {
    data,
    ...(rejected.length > 0 ? { rejected } : {}),
    // The state after the last page merged: everything before it is in the merged batch.
    ...(b.state !== undefined ? { state: b.state } : a.state !== undefined ? { state: a.state } : {}),
    ...(a.columns ? { columns: a.columns } : {}),
    label: a.label && b.label ? `${a.label} … ${b.label}` : (b.label ?? a.label),
  };
}

/**
 * Groups a source's consecutive in-memory batches (API pages, database chunks with the same
 * columns) into batches of at least `minRows` rows, so each Delta commit carries enough rows; the
 * state of a group is that of its last batch, so exactly-once is kept. While a group is written,
 * the next in-memory batch is already being fetched. SQL batches (files staged in the engine) are
 * passed on alone, and the source is resumed only after they were consumed.
 */
export async function* coalesce(batches: AsyncIterable<SourceBatch>, minRows: number): AsyncIterable<SourceBatch> {
  const it = batches[Symbol.asyncIterator]();
  const pull = () => {
    const p = it.next();
    // Handled when awaited; this keeps a failure during the prefetch from being "unhandled" meanwhile.
    p.catch(() => undefined);
    return p;
  };
  let next = pull();
  let pending: SourceBatch | undefined;
  try {
    for (;;) {
      let r: IteratorResult<SourceBatch>;
      try {
        r = await next;
      } catch (e) {
        // What was read before the failure is committed; the next load resumes after it.
        if (pending) yield pending;
        pending = undefined;
        throw e;
      }
      if (r.done) break;
      const batch = r.value;
      const inMemory = batch.data.kind !== 'sql' && typeof batch.rejected !== 'function';
      if (inMemory) next = pull();
      if (pending && inMemory && canMerge(pending, batch)) {
        pending = merge(pending, batch);
      } else {
        if (pending) yield pending;
        pending = batch;
      }
      if (!inMemory || size(pending.data) >= minRows) {
        yield pending;
        pending = undefined;
      }
      if (!inMemory) next = pull();
    }
    if (pending) yield pending;
  } finally {
    await it.return?.();
  }
}
