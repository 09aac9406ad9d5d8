import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import prettier from 'eslint-config-prettier';

// The dependency rule of ../shared/design/ARCHITECTURE.md, enforced: each zone lists where it may not import from.
const layers = [
  { target: './src/errors.ts', from: './src', except: ['./errors.ts'] },
  { target: './src/nomad', from: './src', except: ['./nomad', './errors.ts', './util'] },
  { target: './src/config', from: './src', except: ['./config', './errors.ts', './util'] },
  { target: './src/util', from: './src', except: ['./util', './errors.ts'] },
  // The GitHub Action's logic runs drover as the CLI: it needs nothing of drover's insides.
  { target: './src/github', from: './src', except: ['./github', './errors.ts', './util'] },
  ...['source', 'plan', 'graph', 'apply', 'watch', 'kinds', 'stack', 'checks', 'import'].map((layer) => ({
    target: `./src/${layer}`,
    from: ['./src/actions', './src/render', './src/commands', './src/cli'],
  })),
  { target: './src/actions', from: ['./src/render', './src/commands', './src/cli'] },
  // Commands declare flags, call an action, pick a renderer and an exit code: nothing else.
  {
    target: './src/commands',
    from: './src',
    except: ['./commands', './cli', './actions', './render'],
  },
  { target: './src/render', from: ['./src/nomad', './src/actions', './src/commands', './src/cli'] },
];

// Between the pipeline's stages only types cross, except that apply drives watch (it follows what it registers).
const stages = { source: [], plan: [], apply: ['watch'], watch: [] };
const stageImports = Object.entries(stages).map(([stage, allowed]) => ({
  files: [`src/${stage}/**/*.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: Object.keys(stages)
          .filter((other) => other !== stage && !allowed.includes(other))
          .map((other) => ({
            group: [`**/${other}/*`],
            allowTypeImports: true,
            message: `src/${stage}/ may import only types from src/${other}/ (ARCHITECTURE.md, dependency rule).`,
          })),
      },
    ],
  },
}));

const undici = { name: 'undici', message: 'Only src/nomad/ talks HTTP.' };
const diff = { name: 'diff', message: 'Only src/render/ draws text diffs.' };
// The process global is restricted below; its module would be a way around that.
const nodeProcess = ['process', 'node:process'].map((name) => ({
  name,
  message:
    'Only commands/ and cli/ touch process: the environment is handed in (config/target.ts resolves it).',
}));
const restrictPackages = (files, ignores, paths) => [
  { files, ignores, rules: { 'no-restricted-imports': ['error', { paths }] } },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'oclif.manifest.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { typescript: { project: './tsconfig.json' } } },
    rules: {
      'import/no-restricted-paths': ['error', { zones: layers }],
      'import/no-unresolved': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The CommonJS entry and the bundle's shims run as Node's CommonJS modules.
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...stageImports,
  ...restrictPackages(
    ['src/**/*.ts'],
    ['src/nomad/**', 'src/render/**', 'src/commands/**', 'src/cli/**'],
    [undici, diff, ...nodeProcess],
  ),
  ...restrictPackages(['src/commands/**/*.ts', 'src/cli/**/*.ts'], [], [undici, diff]),
  ...restrictPackages(['src/nomad/**/*.ts'], [], [diff, ...nodeProcess]),
  ...restrictPackages(['src/render/**/*.ts'], [], [undici, ...nodeProcess]),
  {
    files: ['src/**/*.ts'],
    ignores: ['src/commands/**', 'src/cli/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Only commands/ and cli/ touch process.' },
      ],
      'no-console': 'error',
    },
  },
  prettier,
);
