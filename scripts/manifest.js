// npm run build, after the bundle: writes oclif.manifest.json, every command's flags, arguments and help as data,
// so that a start-up reads one file instead of building that from each command class. This is what the oclif
// CLI's `oclif manifest` does for a CLI without plugins, with @oclif/core alone: the oclif CLI cost ~180
// packages in every `npm ci` and checked the registry for its own updates at every build.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Plugin } from '@oclif/core';

const plugin = new Plugin({
  root: resolve(),
  type: 'core',
  ignoreManifest: true,
  errorOnManifestCreate: true,
  respectNoCacheDefault: true,
});
await plugin.load();
await writeFile('oclif.manifest.json', JSON.stringify(plugin.manifest, null, 2));
