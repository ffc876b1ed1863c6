import type { SourceBatch, SourceContext } from '../source.ts';
import type { StreamConfig } from './config.ts';
import { maxOfRecords, runStart } from './incremental.ts';
import type { CursorValue } from './incremental.ts';
import { mergeLimited } from './merge.ts';
import { readPages } from './pages.ts';
import { createPaginator } from './pagination.ts';
import { parentKeys } from './parents.ts';
import { isParentsRun, stateJson } from './state.ts';
import type { ParentsRun, Progress, StreamState } from './state.ts';
import { bounds, endOfRun, firstPageUrl, keepWatermark, pageBatch, paginationOf } from './stream.ts';
import type { StreamReader } from './stream.ts';

/**
 * Reads a child stream: every parent record is fetched, then the stream's pages once per distinct
 * parent key, `rate_limit.concurrency` parents at a time (one without it). Each batch's state lists
 * the parents whose pages are all committed and the next page of those started, so a resumed run
 * skips finished parents and goes on where the others were; the batch finishing the last parent
 * ends the run. Batches carry the parent's value as the column `_parent_<as>`.
 */
export async function* readChildStream(reader: StreamReader, stream: StreamConfig, state: StreamState, ctx: SourceContext): AsyncGenerator<SourceBatch> {
  const link = stream.parent;
  if (link === undefined) return;
  const inc = stream.incremental;
  const paginator = createPaginator(paginationOf(reader, stream));
  const run = resumedRun(stream, state, ctx, (p) => paginator.accepts(p.next));
  const from: CursorValue | undefined = run !== undefined ? run.from : inc !== undefined ? runStart(inc, state.watermark) : undefined;
  const parents = await parentKeys(reader, stream, ctx);
  const done = [...(run?.done ?? [])];
  const finished = new Set(done);
  const active: Record<string, Progress> = {};
  for (const [key, progress] of Object.entries(run?.active ?? {})) if (parents.has(key)) active[key] = progress;
  const started = Object.keys(active);
  const todo = [...started, ...[...parents.keys()].filter((k) => !finished.has(k) && active[k] === undefined)];
  ctx.log('info', `stream ${stream.name}: ${parents.size} parents in ${link.stream}, ${todo.length} to read`);
  let max = run?.max;
  if (todo.length === 0) {
    yield { data: { kind: 'records', records: [] }, state: stateJson(endOfRun(stream, state, max)), label: `${stream.name}: no parent left to read` };
    return;
  }

  let remaining = todo.length;
  const column = `_parent_${link.as}`;
  const pages = mergeLimited(
    todo,
    reader.config.rate_limit?.concurrency ?? 1,
    (key, signal) =>
      readPages(
        { client: reader.client, paginator, firstPage: firstPageUrl(reader, stream, from, key), recordsPath: stream.records_path },
        active[key] ?? { next: paginator.first, page: 1 },
        { stream: stream.name, signal, log: ctx.log },
      ),
    ctx.signal,
  );
  for await (const { key, item: page } of pages) {
    if (inc !== undefined) max = maxOfRecords(page.records, inc.cursor_field, max);
    if (page.next !== undefined) {
      active[key] = { next: page.next, page: page.number + 1 };
    } else {
      delete active[key];
      done.push(key);
      remaining--;
    }
    const next: StreamState = remaining === 0 ? endOfRun(stream, state, max) : { ...keepWatermark(state), run: { ...bounds(from, max), done, active } };
    const value = parents.get(key) ?? key;
    yield pageBatch(page, next, `${stream.name} ${link.as}=${key} page ${page.number}`, { [column]: value });
  }
}

function resumedRun(stream: StreamConfig, state: StreamState, ctx: SourceContext, fits: (p: Progress) => boolean): ParentsRun | undefined {
  const run = state.run;
  if (run === undefined) return undefined;
  if (!isParentsRun(run)) {
    ctx.log('warn', `stream ${stream.name}: the stored run is not a child stream's; a new run starts`);
    return undefined;
  }
  const unfit = Object.entries(run.active).filter(([, p]) => !fits(p));
  if (unfit.length > 0) {
    ctx.log('warn', `stream ${stream.name}: stored positions of parents ${unfit.map(([k]) => k).join(', ')} do not fit the stream's pagination; they start over`);
  }
  ctx.log('info', `stream ${stream.name}: resuming the run, ${run.done.length} parents done`);
  return { ...run, active: Object.fromEntries(Object.entries(run.active).filter(([, p]) => fits(p))) };
}
