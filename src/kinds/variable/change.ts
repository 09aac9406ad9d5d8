import type { Address } from '../address.js';
import type { ObjectChange } from '../object-change.js';
import type { DesiredObject, ObjectsDesired } from '../desired-object.js';
import type { ItemDigests } from './digest.js';

/**
 * What a plan keeps to write a variable: a digest of each item's value (digest.ts), never a value. Apply asks the
 * project for the values again (ResolveValues) and writes them only if their digests are still these.
 */
export interface VariableDigests {
  /** This change's own random key for its digests, hex. */
  readonly DigestKey: string;
  readonly ItemDigests: ItemDigests;
}

/** A variable's change; its address's name is the variable's path. */
export type VariableChange = ObjectChange<'variable', VariableDigests>;

export function variableAddress(cluster: string, namespace: string, path: string): Address<'variable'> {
  return { cluster, kind: 'variable', namespace, name: path };
}

/** A Nomad Variable as `nomad var put` writes it. Its item values are secrets: never printed, never in a plan. */
export interface VariableSpec {
  readonly Path: string;
  readonly Namespace: string;
  readonly Items: Readonly<Record<string, string>>;
}

/** What the project declares: each variable, and the file that declares it. */
export type VariablesDesired = ObjectsDesired<VariableSpec>;
export type DesiredVariable = DesiredObject<VariableSpec>;

/**
 * The items the project declares for the variable at `address`, read again when a plan is applied (a saved plan
 * holds none of their values); undefined when the project no longer declares that variable.
 */
export type ResolveValues = (
  address: Address<'variable'>,
) => Promise<Readonly<Record<string, string>> | undefined> | Readonly<Record<string, string>> | undefined;

/** The ResolveValues of what a project declares (the same declarations a plan was made from, or read again). */
export function valuesOf(desired: VariablesDesired): ResolveValues {
  const byKey = new Map(desired.objects.map((d) => [variableKey(d.spec.Namespace, d.spec.Path), d]));
  return (address) => byKey.get(variableKey(address.namespace ?? '', address.name))?.spec.Items;
}

const variableKey = (namespace: string, path: string) => JSON.stringify([namespace, path]);
