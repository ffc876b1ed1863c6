/** An item of one of the merged sequences, with the key of its sequence. */
export interface Tagged<K, T> {
  readonly key: K;
  readonly item: T;
}

/**
 * Reads the sequences opened for `keys`, at most `limit` at a time, and yields their items as they
 * come: each sequence in its own order, sequences interleaved. Each open sequence reads one item
 * ahead of the consumer. The first failure ends the merge with that error; on failure, abort of
 * `signal` or an early stop by the consumer, the signal given to the open sequences aborts.
 */
export async function* mergeLimited<K, T>(
  keys: readonly K[],
  limit: number,
  open: (key: K, signal: AbortSignal) => AsyncIterable<T>,
  signal: AbortSignal,
): AsyncGenerator<Tagged<K, T>> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal.reason);
  if (signal.aborted) stop.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  type Pull = Promise<{ readonly id: number; readonly result: IteratorResult<T> }>;
  const running = new Map<number, { readonly key: K; readonly iterator: AsyncIterator<T>; pull: Pull }>();
  let opened = 0;

  const pull = (id: number, iterator: AsyncIterator<T>): Pull => {
    const p = iterator.next().then((result) => ({ id, result }));
    // A sequence may fail while the consumer holds an item: the failure is seen at the next race.
    p.catch(() => undefined);
    return p;
  };
  const fill = (): void => {
    while (running.size < limit && opened < keys.length) {
      const id = opened++;
      const key = keys[id] as K;
      const iterator = open(key, stop.signal)[Symbol.asyncIterator]();
      running.set(id, { key, iterator, pull: pull(id, iterator) });
    }
  };

  try {
    fill();
    while (running.size > 0) {
      const { id, result } = await Promise.race([...running.values()].map((r) => r.pull));
      const entry = running.get(id);
      if (entry === undefined) continue;
      if (result.done === true) {
        running.delete(id);
        fill();
        continue;
      }
      entry.pull = pull(id, entry.iterator);
      yield { key: entry.key, item: result.value };
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort();
    for (const { iterator } of running.values()) void iterator.return?.().catch(() => undefined);
  }
}
