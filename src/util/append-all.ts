/**
 * Appends every item, however many: `push(...items)` passes each as an argument and overflows the stack past
 * about 100,000 (180,000 variable blocks did). An array's items are written in place after one change of the
 * length: a plan of 400,000 fields, its lines copied from list to list push by push, took 0.15 s more.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  if (!Array.isArray(items)) {
    for (const item of items) target.push(item);
    return;
  }
  const start = target.length;
  target.length = start + items.length;
  for (let i = 0; i < items.length; i++) target[start + i] = items[i] as T;
}
