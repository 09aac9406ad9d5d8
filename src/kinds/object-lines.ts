/**
 * The change of a spec object (namespace, node pool, ACL policy or role, variable) as lines for the renderers:
 * its heading and symbol, then the fields a write changes (every field it sets, for a create).
 */
import type { ObjectKindChange } from '../plan/model.js';
import { fieldLines, type ChangeLine } from './change-lines.js';

export function objectLines(change: ObjectKindChange, planNamespace: string): ChangeLine[] {
  const { kind, name, namespace } = change.address;
  const lines: ChangeLine[] = [
    {
      type: 'heading',
      kind,
      name,
      ...(namespace === undefined || namespace === planNamespace ? {} : { namespace }),
      action: change.action,
      wave: change.wave,
      computedLocally: false,
    },
    { type: 'symbol', kind, name, action: change.action, ...(change.file ? { file: change.file } : {}) },
  ];
  if (change.action === 'noop' || change.action === 'delete') return lines;
  return [...lines, ...fieldLines(change.fields, 0, change.action === 'create')];
}
