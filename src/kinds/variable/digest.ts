/**
 * What a plan keeps of a variable's values: for each item, HMAC-SHA256 of its value under a 256-bit key drawn at
 * random for that one change and kept beside the digests. Plans compare values through these and never hold one.
 *
 * Why keyed, and why a fresh key per change: a bare SHA-256 of a value is the same in every plan, so two saved
 * plans would tell whether two variables (or two stacks, or a variable before and after a rotation) share a
 * value, and one table of hashed guesses would serve against every plan. Under a key of its own each change's
 * digests match nothing outside it, and the namespace, path and item name go into each digest so that equal
 * values of two items do not match either. What a key kept in the plan cannot do is stop a guess at one value
 * from being checked against that plan's digest: a value that can be guessed ("on", a four-digit PIN) can be
 * recovered from a saved plan, a random secret cannot. A slow hash would not change that for a small space of
 * guesses, and a key kept outside the plan would tie apply to whoever planned; so the plan file is the thing to
 * keep private when a value is guessable.
 */
import { crypto } from '../../util/crypto.js';
import type { Address } from '../address.js';

/** Item name → hex digest of its value. */
export type ItemDigests = Readonly<Record<string, string>>;

/** A change's own digest key, hex. */
export function newDigestKey(): string {
  return crypto().randomBytes(32).toString('hex');
}

/** The digest of every item's value, by item name (sorted), for the variable at `address`. */
export function digestItems(
  key: string,
  address: Address<'variable'>,
  items: Readonly<Record<string, string>>,
): ItemDigests {
  const secret = Buffer.from(key, 'hex');
  const digest = (name: string) =>
    crypto()
      .createHmac('sha256', secret)
      .update(JSON.stringify([address.namespace, address.name, name, items[name]]))
      .digest('hex');
  return Object.fromEntries(
    Object.keys(items)
      .sort()
      .map((name) => [name, digest(name)]),
  );
}

export interface ItemDifference {
  readonly name: string;
  readonly change: 'added' | 'changed' | 'removed';
}

/** What differs between two sets of digests made with the same key, by item name. */
export function itemDifferences(before: ItemDigests, after: ItemDigests): ItemDifference[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.flatMap((name): ItemDifference[] => {
    const was = Object.hasOwn(before, name) ? before[name] : undefined;
    const is = Object.hasOwn(after, name) ? after[name] : undefined;
    if (was === is) return [];
    return [{ name, change: was === undefined ? 'added' : is === undefined ? 'removed' : 'changed' }];
  });
}
