/**
 * VolumeRequest.Validate of a group's volumes (nomad/structs/volumes.go, v2.0.5). Nomad's conversion drops a volume
 * whose type is neither "host" nor "csi" before validation, so such a volume is not refused here either.
 */
import type { Findings } from './findings.js';
import { flag, int, object, text, type Obj } from './values.js';

const HOST_ACCESS_MODES = ['single-node-writer', 'single-node-single-writer', 'single-node-multi-writer', ''];

export function volumeRules(group: Obj, jobType: string, count: number, f: Findings): void {
  const volumes = object(group, 'Volumes') ?? {};
  const canaries = int(object(group, 'Update'), 'Canary');
  for (const [name, value] of Object.entries(volumes)) {
    const volume = value as Obj;
    const type = text(volume, 'Type');
    if (type !== 'host' && type !== 'csi') continue;
    const at = f.in(volume, `volume "${name}"`);
    const readOnly = flag(volume, 'ReadOnly');
    const perAlloc = flag(volume, 'PerAlloc');
    const access = text(volume, 'AccessMode');
    const mountOptions = volume.MountOptions != null;
    if (text(volume, 'Source') === '') at.add('volume has an empty source', 'Source');
    if (perAlloc) {
      if (jobType === 'system' || jobType === 'sysbatch')
        at.add('volume cannot be per_alloc for system or sysbatch jobs', 'PerAlloc');
      if (canaries > 0) at.add('volume cannot be per_alloc when canaries are in use', 'PerAlloc');
      if (flag(volume, 'Sticky'))
        at.add('volume cannot be per_alloc and sticky at the same time', 'PerAlloc');
    }
    if (type === 'host') {
      if (mountOptions) at.add('host volumes cannot have mount options', 'MountOptions');
      if (access === 'single-node-reader-only') {
        if (!readOnly) at.add(`${access} volumes must be read-only`, 'ReadOnly');
      } else if (!HOST_ACCESS_MODES.includes(access))
        at.add(`host volumes cannot be mounted with ${access} access mode`, 'AccessMode');
      continue;
    }
    const attachment = text(volume, 'AttachmentMode');
    if (attachment === '') at.add('CSI volumes must have an attachment mode', 'AttachmentMode');
    else if (attachment === 'block-device' && mountOptions)
      at.add('block devices cannot have mount options', 'MountOptions');
    const many = count > 1 && !perAlloc;
    if (access === '') at.add('CSI volumes must have an access mode', 'AccessMode');
    else if (access === 'single-node-reader-only') {
      if (!readOnly) at.add(`${access} volumes must be read-only`, 'ReadOnly');
      if (many) at.add(`volume with ${access} access mode allows only one reader`, 'AccessMode');
    } else if (access === 'single-node-writer') {
      if (many) at.add(`volume with ${access} access mode allows only one reader or writer`, 'AccessMode');
    } else if (access === 'multi-node-reader-only') {
      if (!readOnly) at.add(`${access} volumes must be read-only`, 'ReadOnly');
    } else if (access === 'multi-node-single-writer') {
      if (!readOnly && many) at.add(`volume with ${access} access mode allows only one writer`, 'AccessMode');
    }
  }
}
