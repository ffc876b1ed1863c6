/** Something that happens at an instant; `seq` orders events of the same instant by scheduling order. */
export interface Scheduled {
  readonly at: number;
  readonly seq: number;
}

function earlier(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** A min-heap of future events ordered by (at, seq). */
export class EventQueue<E extends Scheduled> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(event: E): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(event, heap[parent] as E)) break;
      heap[i] = heap[parent] as E;
      i = parent;
    }
    heap[i] = event;
  }

  /** The earliest event if it is due at or before `until`, removed from the queue. */
  popDue(until: number): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined || top.at > until) return undefined;
    const last = heap.pop() as E;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && earlier(heap[right] as E, heap[left] as E) ? right : left;
        if (!earlier(heap[child] as E, last)) break;
        heap[i] = heap[child] as E;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
