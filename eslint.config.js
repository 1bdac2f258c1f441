// The layering rules live here so that a wrong import fails `npm test`, not a code review.
// Folders are kept apart by resolved path (import-x/no-restricted-paths), so `../main/x.ts`
// from app/core is caught however it is spelled; module names (Node, Electron) by name.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Each Node builtin, refused with this reason. */
const noNode = (message) => nodeBuiltins.map((name) => ({ name, message }));

const noElectron = {
  name: 'electron',
  message:
    'Only app/main (the composition root and its adapters) and app/preload may import Electron.',
};

/** Which folder may not import which: each zone is one rule of the architecture. */
const layerZones = [
  {
    target: './renderer',
    from: ['./app/core', './app/main', './app/preload', './app/simulator', './app/cli'],
    message: 'The renderer reaches main only through window.aft; it may import app/shared.',
  },
  {
    target: './app/shared',
    from: [
      './app/core',
      './app/main',
      './app/preload',
      './app/simulator',
      './app/cli',
      './renderer',
    ],
    message: 'app/shared is loaded by main, preload and renderer: it depends on nothing but zod.',
  },
  {
    target: ['./app/core', './app/simulator', './app/cli'],
    from: ['./app/main', './app/preload', './renderer'],
    message: 'Core modules take their collaborators as arguments; only app/main wires them.',
  },
  {
    target: './app/preload',
    from: ['./app/core', './app/main', './app/simulator', './app/cli', './renderer'],
    message: 'The preload builds window.aft from the contract in app/shared, nothing more.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'test-results', 'coverage'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'off',
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, ...noNode('The renderer runs in a sandbox: no Node.')] },
      ],
      // The contract and the model carry zod schemas for main; the window needs their types.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/app/shared/ipc-contract.ts', '**/app/shared/model.ts'],
              allowTypeImports: true,
              message: 'The renderer imports the IPC contract and the model for their types only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron, ...noNode('app/shared is loaded by the renderer too: no Node.')] },
      ],
    },
  },
  {
    files: ['app/core/**/*.ts', 'app/simulator/**/*.ts', 'app/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['app/preload/bridge-factory.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'The bridge factory takes its transport as arguments (a test harness uses it).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'No Electron binary here: tests use the fake in test/fakes/electron.ts.',
            },
          ],
        },
      ],
    },
  },
);
