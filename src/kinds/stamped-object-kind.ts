/**
 * The kinds Nomad keeps as one spec object with meta (namespaces, node pools): one list request to plan them;
 * each declared object created, updated, adopted (stamped in its meta, as jobs are) or unchanged; one stamped by
 * another stack refused; with prune, the stack's objects no file declares deleted (stamped, and listed in the
 * inventory when the stack has one); each re-read right before it is written or deleted.
 */
import { changeResults } from './change-result.js';
import type { ApplyOptions, ChangeResult } from '../apply/types.js';
import type { WaveBound } from '../apply/wave-bound.js';
import { UserError } from '../errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { Change, ChangeNote, PlanSettings } from '../plan/model.js';
import { ownerOf } from '../plan/ownership.js';
import { compareText } from '../util/compare.js';
import { addressKey, KIND_NOUNS, sameAddress, type Address, type KindName } from './address.js';
import type { Kind, KindPlan, PlanContext } from './kind.js';
import { directRun, pruneDeletes, staleByName } from './object-kind-parts.js';
import type { DesiredObject, ObjectsDesired } from './desired-object.js';
import type { ObjectChange } from './object-change.js';
import { specFieldChanges } from './spec-fields.js';

export interface StampedSpec {
  readonly Name: string;
  readonly Meta?: Record<string, string> | null;
}

export interface StampedLive {
  readonly Name: string;
  readonly Meta: Record<string, string> | null;
  readonly ModifyIndex: number;
}

export interface StampedObjectKindOptions<K extends KindName, S extends StampedSpec, L extends StampedLive> {
  readonly kind: K;
  /** The fields a spec sets, compared as a whole-object write changes them. */
  readonly fields: readonly string[];
  /** Objects every cluster has: never deleted; `unwritable` ones may not be declared either. */
  readonly builtIn: ReadonlySet<string>;
  readonly unwritable?: ReadonlySet<string>;
  /** The spec as Nomad stores it, where Nomad fills a default the spec may leave out. */
  readonly stored?: (spec: S) => S;
  readonly list: (client: NomadClient, signal?: AbortSignal) => Promise<L[]>;
  readonly find: (client: NomadClient, name: string, signal?: AbortSignal) => Promise<L | null>;
  /** Writes the whole object: the index of the write (its new ModifyIndex). */
  readonly write: (client: NomadClient, spec: S, signal?: AbortSignal) => Promise<{ readonly index: number }>;
  readonly delete: (client: NomadClient, name: string, signal?: AbortSignal) => Promise<unknown>;
  /** Once every kind is planned: refuses deletes Nomad would refuse (the object still in use). */
  readonly review?: (context: PlanContext, changes: readonly Change[]) => Promise<void>;
}

export function stampedObjectKind<K extends KindName, S extends StampedSpec, L extends StampedLive>(
  options: StampedObjectKindOptions<K, S, L>,
): Kind<K, ObjectChange<K, S>, ObjectsDesired<S>> {
  const noun = KIND_NOUNS[options.kind].one;
  const address = (settings: PlanSettings, name: string) =>
    ({ cluster: settings.cluster, kind: options.kind, name }) as Address<K>;

  const planOne = (
    context: PlanContext,
    desired: DesiredObject<S>,
    live: L | undefined,
  ): ObjectChange<K, S> => {
    const { settings } = context;
    const name = desired.spec.Name;
    if (options.unwritable?.has(name))
      throw new UserError(
        `${noun} "${name}" is built into Nomad, which refuses to change it${desired.file ? ` (${desired.file})` : ''}`,
        {
          code: 'built_in_object',
          hint: `Remove the ${options.kind.replace('-', '_')} "${name}" block.`,
        },
      );
    const owner = live ? ownerOf(live, settings.stampKey) : undefined;
    if (live && owner !== undefined && owner !== settings.stack)
      throw new UserError(
        `${noun} "${name}" belongs to stack "${owner}"${settings.stack ? `, not "${settings.stack}"` : ', and this plan names no stack'}`,
        {
          code: 'owned_elsewhere',
          hint: `Another drover stack manages this ${noun}; remove meta "${settings.stampKey}" from it to hand it over.`,
        },
      );
    const stamped = settings.stack
      ? { ...desired.spec, Meta: { ...(desired.spec.Meta ?? {}), [settings.stampKey]: settings.stack } }
      : desired.spec;
    const spec = options.stored ? options.stored(stamped) : stamped;
    const base = {
      kind: options.kind,
      address: address(settings, name),
      wave: 0,
      ...(desired.file ? { file: desired.file } : {}),
    };
    const fields = specFieldChanges(live, spec, options.fields);
    const enterprise: ChangeNote[] = desired.enterpriseOnly?.length
      ? [{ type: 'enterprise-only', kind: options.kind, settings: desired.enterpriseOnly }]
      : [];
    if (!live) return { ...base, action: 'create', spec, modifyIndex: 0, fields, notes: enterprise };
    if (settings.stack && owner === undefined)
      return {
        ...base,
        action: 'adopt',
        spec,
        modifyIndex: live.ModifyIndex,
        fields,
        notes: [
          { type: 'adopt-stamp', kind: options.kind, stampKey: settings.stampKey, stack: settings.stack },
          ...enterprise,
        ],
      };
    if (fields.length === 0) return { ...base, action: 'noop', modifyIndex: live.ModifyIndex, notes: [] };
    return { ...base, action: 'update', spec, modifyIndex: live.ModifyIndex, fields, notes: enterprise };
  };

  /** The stack's objects: stamped with it, and listed in its inventory when the plan read one. */
  const ownedByStack = (context: PlanContext, live: L): boolean =>
    ownerOf(live, context.settings.stampKey) === context.settings.stack &&
    (context.owned === undefined ||
      context.owned.some((a) => sameAddress(a, address(context.settings, live.Name))));

  const staleness = (
    change: ObjectChange<K, S>,
    live: L | null | undefined,
    settings: PlanSettings,
  ): string | undefined => {
    const name = change.address.name;
    const since = (now: string) => `${noun} ${name} changed since the plan (${now}); run plan again`;
    if (change.action === 'create') return live ? since('it exists now') : undefined;
    if (!live) return since('it is gone');
    if (change.action === 'delete' && ownerOf(live, settings.stampKey) !== settings.stack)
      return `${noun} ${name} does not belong to stack "${settings.stack ?? '(none)'}"; not deleted`;
    return live.ModifyIndex === change.modifyIndex
      ? undefined
      : since(`modify index ${change.modifyIndex} → ${live.ModifyIndex}`);
  };

  const applyOne = async (
    change: Exclude<ObjectChange<K, S>, { action: 'noop' }>,
    apply: ApplyOptions,
    bound: WaveBound,
  ): Promise<ChangeResult> => {
    const result = changeResults(change);
    try {
      const live = await options.find(apply.client, change.address.name, bound.signal);
      const moved = staleness(change, live, apply.plan.settings);
      if (moved) return result('failed', moved, { stale: true });
      if (change.action === 'delete') {
        await options.delete(apply.client, change.address.name, bound.signal);
        return result('succeeded', 'deleted', { modifyIndex: change.modifyIndex });
      }
      const { index } = await options.write(apply.client, change.spec, bound.signal);
      const done = change.action === 'create' ? 'created' : change.action === 'adopt' ? 'adopted' : 'updated';
      return result('succeeded', done, { modifyIndex: index });
    } catch (error) {
      return result('failed', (error as Error).message);
    }
  };

  return {
    name: options.kind,
    async plan(context, desired): Promise<KindPlan<ObjectChange<K, S>>> {
      refuseDuplicates(noun, desired.objects);
      const live = await options.list(context.client, context.signal);
      const byName = new Map(live.map((o) => [o.Name, o]));
      const registrations = desired.objects
        .map((d) => planOne(context, d, byName.get(d.spec.Name)))
        .sort((a, b) => compareText(a.address.name, b.address.name));
      const declared = new Set(desired.objects.map((d) => d.spec.Name));
      const { settings } = context;
      const deletes = pruneDeletes(
        options.kind,
        settings,
        live,
        (o) => !options.builtIn.has(o.Name) && !declared.has(o.Name) && ownedByStack(context, o),
      );
      return { registrations, deletes };
    },
    review: options.review,
    async liveIndexes(client, owned, signal) {
      const live = await options.list(client, signal);
      const cluster = owned[0]?.cluster ?? '';
      return new Map(
        live.map((o) => [addressKey({ cluster, kind: options.kind, name: o.Name }), o.ModifyIndex]),
      );
    },
    staleChanges: (apply, changes) =>
      staleByName(
        changes,
        () => options.list(apply.client, apply.signal),
        (change, live) => staleness(change, live, apply.plan.settings),
      ),
    open: (apply) => directRun(apply, applyOne),
  };
}

function refuseDuplicates(noun: string, objects: readonly DesiredObject<StampedSpec>[]): void {
  const seen = new Map<string, string | undefined>();
  for (const d of objects) {
    if (seen.has(d.spec.Name))
      throw new UserError(
        `${noun} "${d.spec.Name}" is declared twice: in ${seen.get(d.spec.Name)} and ${d.file}`,
        {
          code: 'duplicate_object',
        },
      );
    seen.set(d.spec.Name, d.file);
  }
}
