// npm run build, after tsc: keeps the declarations that `import … from 'drover'` reads (those dist/index.d.ts
// reaches, as TypeScript itself resolves them) and removes the others. tsc declares every module the library's
// code reaches, internals included, and some of those name packages that the bundle holds and that are therefore
// not installed beside drover.
import { readdir, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const dist = resolve('dist');
const program = ts.createProgram([join(dist, 'index.d.ts')], {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: [],
  noEmit: true,
});
const read = new Set(program.getSourceFiles().map((file) => resolve(file.fileName)));

const declarations = (await readdir(dist, { recursive: true }))
  .map((file) => join(dist, file))
  .filter((file) => /\.d\.c?ts$/.test(file));
const unread = declarations.filter((file) => !read.has(file));
await Promise.all(unread.map((file) => rm(file)));

const directories = new Set();
for (const file of unread)
  for (let dir = dirname(file); dir !== dist; dir = dirname(dir)) directories.add(dir);
// A directory after its subdirectories (a longer path), so that it is empty once they are gone.
for (const dir of [...directories].sort((a, b) => b.length - a.length))
  if ((await readdir(dir)).length === 0) await rmdir(dir);
