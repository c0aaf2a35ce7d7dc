/** Items grouped by a key, each group in the order given. */
export function grouped<E, K>(items: Iterable<E>, keyOf: (item: E) => K): Map<K, E[]> {
  const groups = new Map<K, E[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}
