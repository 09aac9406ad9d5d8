/**
 * Appends every item, however many: `push(...items)` passes each as an argument and overflows the stack past
 * about 100,000 (180,000 variable blocks did).
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
