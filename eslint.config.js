// The layering rules live here so that a wrong import fails `npm test`, not a code review.
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Each Node builtin, refused with this reason. */
const noNode = (message) => nodeBuiltins.map((name) => ({ name, message }));

/** Every app layer except app/shared, which is the only one the renderer may import. */
const appLayersButShared = [
  '**/app/core/**',
  '**/app/main/**',
  '**/app/preload/**',
  '**/app/simulator/**',
  '**/app/cli/**',
];

const noElectron = {
  name: 'electron',
  message:
    'Only app/main (the composition root and its adapters) and app/preload may import Electron.',
};

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'out', 'test-results', 'coverage'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            noElectron,
            ...noNode('The renderer runs in a sandbox: no Node.'),
            {
              name: '../../app/shared/ipc-contract.ts',
              allowTypeImports: true,
              message: 'The renderer imports the IPC contract for its types only.',
            },
          ],
          patterns: [
            {
              group: appLayersButShared,
              message:
                'The renderer reaches main only through window.aft; it may import app/shared.',
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
        {
          paths: [noElectron, ...noNode('app/shared is loaded by the renderer too: no Node.')],
          patterns: [
            {
              group: [...appLayersButShared, '**/renderer/**'],
              message: 'app/shared depends on nothing but itself and zod.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/core/**/*.ts', 'app/simulator/**/*.ts', 'app/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            {
              group: ['**/app/main/**', '**/app/preload/**', '**/renderer/**'],
              message:
                'Core modules take their collaborators as arguments; only app/main wires them.',
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
