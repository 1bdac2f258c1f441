// The architecture's import rules, proven against the real ESLint configuration: each probe is
// linted as if it were a file in that folder.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function ruleIdsFor(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const use = (names: string) => `export const used: unknown = [${names}];\n`;

describe('layering enforced by lint', () => {
  it.each([
    [
      'the renderer importing Node',
      'renderer/src/probe.ts',
      `import { readFileSync } from 'node:fs';\n${use('readFileSync')}`,
      'no-restricted-imports',
    ],
    [
      'the renderer importing Electron',
      'renderer/src/probe.ts',
      `import { ipcRenderer } from 'electron';\n${use('ipcRenderer')}`,
      'no-restricted-imports',
    ],
    [
      'the renderer importing a core module',
      'renderer/src/screens/probe.ts',
      `import { createAftClient } from '../../../app/core/aft/client.ts';\n${use('createAftClient')}`,
      'import-x/no-restricted-paths',
    ],
    [
      'the renderer importing the contract for its values',
      'renderer/src/screens/probe.ts',
      `import { ipcRequests } from '../../../app/shared/ipc-contract.ts';\n${use('ipcRequests')}`,
      '@typescript-eslint/no-restricted-imports',
    ],
    [
      'a core module importing Electron',
      'app/core/probe.ts',
      `import { app } from 'electron';\n${use('app')}`,
      'no-restricted-imports',
    ],
    [
      'a core module importing the composition layer',
      'app/core/runs/probe.ts',
      `import { APP_ORIGIN } from '../../main/window.ts';\n${use('APP_ORIGIN')}`,
      'import-x/no-restricted-paths',
    ],
    [
      'app/shared importing Node',
      'app/shared/probe.ts',
      `import { randomUUID } from 'node:crypto';\n${use('randomUUID')}`,
      'no-restricted-imports',
    ],
    [
      'app/shared importing a core module',
      'app/shared/probe.ts',
      `import { systemClock } from '../core/clock.ts';\n${use('systemClock')}`,
      'import-x/no-restricted-paths',
    ],
    [
      'a test importing the real Electron',
      'test/probe.test.ts',
      `import { app } from 'electron';\n${use('app')}`,
      'no-restricted-imports',
    ],
  ])('refuses %s', async (_what, file, source, rule) => {
    expect(await ruleIdsFor(file, source)).toContain(rule);
  });

  it.each([
    [
      'the renderer importing the contract for its types and the shared validator',
      'renderer/src/screens/probe.ts',
      `import type { AftBridge } from '../../../app/shared/ipc-contract.ts';\n` +
        `import { validateParams } from '../../../app/shared/params.ts';\n` +
        `export type Bridge = AftBridge;\n${use('validateParams')}`,
    ],
    [
      'the composition root importing Electron and the core',
      'app/main/probe.ts',
      `import { app } from 'electron';\nimport { systemClock } from '../core/clock.ts';\n` +
        use('app, systemClock'),
    ],
  ])('allows %s', async (_what, file, source) => {
    expect(await ruleIdsFor(file, source)).toEqual([]);
  });
});
