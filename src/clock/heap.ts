/** A binary min-heap ordered by `before`. */
export class Heap<T> {
  private readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const { items, before } = this;
    // Up from the new leaf: parents that come after the item move down into the hole, the item goes in last.
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent] as T;
      if (!before(item, above)) break;
      items[i] = above;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Keeps only the items that pass `keep`. */
  filter(keep: (item: T) => boolean): void {
    const kept = this.items.filter(keep);
    this.items.length = 0;
    for (const item of kept) this.push(item);
  }

  private siftDown(start: number): void {
    const { items, before } = this;
    const length = items.length;
    const item = items[start] as T;
    // Down from `start`: the earlier child moves up into the hole while it comes before the item.
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= length) break;
      const right = child + 1;
      if (right < length && before(items[right] as T, items[child] as T)) child = right;
      const next = items[child] as T;
      if (!before(next, item)) break;
      items[i] = next;
      i = child;
    }
    items[i] = item;
  }
}
