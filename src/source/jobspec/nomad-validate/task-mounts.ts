/**
 * What a task mounts: its volume mounts (against the group's volumes, VolumeMount.Validate) and its CSI plugin
 * block (TaskCSIPluginConfig checks of Task.Validate), over api Canonicalize's defaults (nomad/structs, v2.0.5).
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { isSubdirectory } from './go-paths.js';
import { object, objects, text, type Obj } from './values.js';

const PROPAGATION_MODES = ['', 'private', 'host-to-task', 'bidirectional'];
const SELINUX_LABELS = ['', 'z', 'Z'];

/**
 * Nomad numbers the mounts after dropping those without a volume (apiVolumeMountsToStructs), and knows only the
 * group's host and csi volumes (ApiTgToStructsTG ignores the others). A mount with a volume and no destination
 * crashes Nomad's CLI in that conversion (v2.0.5); it is judged here as if the destination were empty.
 */
export function volumeMountRules(task: Obj, group: Obj, f: Findings): void {
  const volumes = object(group, 'Volumes') ?? {};
  const known = (name: string) => {
    const volume = object(volumes, name);
    return Object.hasOwn(volumes, name) && ['host', 'csi'].includes(text(volume, 'Type'));
  };
  const mounts = objects(task, 'VolumeMounts').filter((m) => typeof m.Volume === 'string');
  mounts.forEach((mount, i) => {
    const at = f.in(mount, `volume_mount ${i + 1}`);
    const volume = text(mount, 'Volume');
    if (!known(volume)) at.add(`Volume Mount (${i}) references undefined volume ${volume}`, 'Volume');
    if (volume === '') at.add('volume mount references an empty volume', 'Volume');
    const propagation = typeof mount.PropagationMode === 'string' ? mount.PropagationMode : 'private';
    if (!PROPAGATION_MODES.includes(propagation))
      at.add(`volume mount has an invalid propagation mode: ${goQuote(propagation)}`, 'PropagationMode');
    const label = text(mount, 'SELinuxLabel');
    if (!SELINUX_LABELS.includes(label))
      at.add(`volume mount has an invalid SELinux label: "${label}"`, 'SELinuxLabel');
  });
}

const PLUGIN_TYPES = ['node', 'controller', 'monolith'];

/** The csi_plugin block; api Canonicalize mounts the plugin at /csi and stages volumes under /local/csi. */
export function csiPluginRules(task: Obj, f: Findings): void {
  const plugin = object(task, 'CSIPluginConfig');
  if (!plugin) return;
  const at = f.in(plugin, 'csi_plugin');
  if (text(plugin, 'ID') === '') at.add('CSIPluginConfig must have a non-empty PluginID', 'ID');
  const type = text(plugin, 'Type');
  if (!PLUGIN_TYPES.includes(type))
    at.add(
      `CSIPluginConfig PluginType must be one of 'node', 'controller', or 'monolith', got: "${type}"`,
      'Type',
    );
  const mountDir = text(plugin, 'MountDir') || '/csi';
  const stageDir = text(plugin, 'StagePublishBaseDir') || '/local/csi';
  if (isSubdirectory(mountDir, stageDir))
    at.add(
      `CSIPluginConfig StagePublishBaseDir must not be a subdirectory of MountDir, got: StagePublishBaseDir="${stageDir}" MountDir="${mountDir}"`,
      'StagePublishBaseDir',
    );
}
