import type { JsonValue } from '../source.ts';
import type { CursorValue } from './incremental.ts';
import type { PagePosition } from './pagination.ts';

/** The next page of a sequence of pages, and its number (for labels). */
export interface Progress {
  readonly next: PagePosition;
  readonly page: number;
}

/** A run of a plain stream in progress. */
export interface PagesRun extends Progress {
  /** Where the run's incremental filter starts (the same for every page of the run). */
  readonly from?: CursorValue;
  /** The largest cursor value in the pages committed so far. */
  readonly max?: CursorValue;
}

/** A run of a child stream in progress: parents finished, and the next page of those started. */
export interface ParentsRun {
  readonly from?: CursorValue;
  readonly max?: CursorValue;
  /** Parent keys (as text) whose pages are all committed. */
  readonly done: readonly string[];
  readonly active: Readonly<Record<string, Progress>>;
}

/**
 * The state of a stream, committed with each batch. Between runs it holds only the watermark (the
 * largest cursor value seen, incremental streams only); during a run also `run`, so that a resumed
 * run goes on after the last committed page with the same filter instead of starting over.
 */
export interface StreamState {
  readonly watermark?: CursorValue;
  readonly run?: PagesRun | ParentsRun;
}

export function isParentsRun(run: PagesRun | ParentsRun): run is ParentsRun {
  return 'done' in run;
}

/** Reads a stored state; what cannot be understood is left out and described in `problems`. */
export function parseState(raw: JsonValue | undefined): { state: StreamState; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { state: {}, problems };
  if (!isRecord(raw)) return { state: {}, problems: [`the stored state ${JSON.stringify(raw)} is not an object`] };
  const watermark = cursor(raw.watermark);
  if (raw.watermark !== undefined && watermark === undefined) problems.push(`watermark ${JSON.stringify(raw.watermark)} is not a timestamp or number`);
  let run: PagesRun | ParentsRun | undefined;
  if (raw.run !== undefined) {
    run = parseRun(raw.run);
    if (run === undefined) problems.push(`run ${JSON.stringify(raw.run)} is not a run in progress`);
  }
  return { state: { ...(watermark !== undefined ? { watermark } : {}), ...(run !== undefined ? { run } : {}) }, problems };
}

/** The state as stored (undefined fields left out). */
export function stateJson(state: StreamState): JsonValue {
  const out: Record<string, JsonValue> = {};
  if (state.watermark !== undefined) out.watermark = state.watermark;
  const run = state.run;
  if (run === undefined) return out;
  const r: Record<string, JsonValue> = {};
  if (run.from !== undefined) r.from = run.from;
  if (run.max !== undefined) r.max = run.max;
  if (isParentsRun(run)) {
    r.done = [...run.done];
    r.active = Object.fromEntries(Object.entries(run.active).map(([k, p]) => [k, progressJson(p)]));
  } else {
    Object.assign(r, progressJson(run));
  }
  out.run = r;
  return out;
}

function progressJson(p: Progress): Record<string, JsonValue> {
  const next: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(p.next)) if (v !== undefined) next[k] = v as JsonValue;
  return { next, page: p.page };
}

function parseRun(raw: JsonValue): PagesRun | ParentsRun | undefined {
  if (!isRecord(raw)) return undefined;
  const bounds = {
    ...(cursor(raw.from) !== undefined ? { from: cursor(raw.from) } : {}),
    ...(cursor(raw.max) !== undefined ? { max: cursor(raw.max) } : {}),
  };
  if (Array.isArray(raw.done)) {
    if (!raw.done.every((k) => typeof k === 'string') || !isRecord(raw.active)) return undefined;
    const active: Record<string, Progress> = {};
    for (const [k, v] of Object.entries(raw.active)) {
      const p = progress(v);
      if (p === undefined) return undefined;
      active[k] = p;
    }
    return { ...bounds, done: raw.done as string[], active };
  }
  const p = progress(raw);
  return p === undefined ? undefined : { ...bounds, ...p };
}

function progress(raw: JsonValue | undefined): Progress | undefined {
  if (!isRecord(raw) || !isRecord(raw.next) || typeof raw.page !== 'number') return undefined;
  const { offset, page, cursor: c, url } = raw.next;
  if ((offset !== undefined && typeof offset !== 'number') || (page !== undefined && typeof page !== 'number')) return undefined;
  if ((c !== undefined && typeof c !== 'string') || (url !== undefined && typeof url !== 'string')) return undefined;
  const next: PagePosition = {
    ...(offset !== undefined ? { offset } : {}),
    ...(page !== undefined ? { page } : {}),
    ...(c !== undefined ? { cursor: c } : {}),
    ...(url !== undefined ? { url } : {}),
  };
  return { next, page: raw.page };
}

function cursor(v: JsonValue | undefined): CursorValue | undefined {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : undefined;
}

function isRecord(v: JsonValue | undefined): v is { readonly [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
