/**
 * The changes of the kinds Nomad keeps as one spec object (namespaces, node pools, ACL policies and roles): a
 * write replaces the whole object, so a change carries the spec to write, the index it was planned against and
 * the fields that differ (Nomad's FieldDiff shape, so every renderer shows them as it shows a job's).
 */
import type { FieldDiff } from '../nomad/types.js';
import type { ChangeNote } from '../plan/notes.js';
import type { Address, KindName } from './address.js';

interface ObjectChangeBase<K extends KindName> {
  readonly kind: K;
  readonly address: Address<K>;
  readonly wave: number;
  /** The project file that declares it. */
  readonly file?: string;
  readonly notes: readonly ChangeNote[];
}

/** A write: the object created, updated, or taken over by the stack (adopt), with the fields that differ. */
export interface ObjectWrite<K extends KindName, S> extends ObjectChangeBase<K> {
  readonly action: 'create' | 'update' | 'adopt';
  readonly spec: S;
  /** The ModifyIndex seen when planning (0 for a create): the write is refused if it moved. */
  readonly modifyIndex: number;
  readonly fields: readonly FieldDiff[];
}

export interface ObjectNoop<K extends KindName> extends ObjectChangeBase<K> {
  readonly action: 'noop';
  readonly modifyIndex: number;
}

export interface ObjectDelete<K extends KindName> extends ObjectChangeBase<K> {
  readonly action: 'delete';
  readonly modifyIndex: number;
}

export type ObjectChange<K extends KindName, S> = ObjectWrite<K, S> | ObjectNoop<K> | ObjectDelete<K>;
