export interface LinkedTable {
  name: string;
  /** Tables this one references through foreign keys. */
  parents: string[];
}

/**
 * Orders tables so each comes after every table it references, keeping the given order among
 * tables free to go: a restore inserts in this order and empties in the reverse. References to
 * tables outside the list are ignored. A cycle, a table referencing itself included, is refused:
 * rows could then need an order inside the table that a batch insert does not promise.
 */
export function parentsFirst<T extends LinkedTable>(tables: readonly T[]): T[] {
  const names = new Set(tables.map((t) => t.name));
  const placed = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < tables.length) {
    const next = tables.find((t) => !placed.has(t.name) && t.parents.every((p) => placed.has(p) || !names.has(p)));
    if (!next) {
      const stuck = tables.filter((t) => !placed.has(t.name)).map((t) => t.name);
      throw new Error(`cannot order tables for backup: foreign keys form a cycle among ${stuck.join(', ')}`);
    }
    placed.add(next.name);
    ordered.push(next);
  }
  return ordered;
}
