import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EXIT_CODES } from '../../app/cli/exit-codes.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';

const BIN = fileURLToPath(new URL('../../bin/aft-launcher.mjs', import.meta.url));

let simulator: TestSimulator;

beforeAll(async () => {
  simulator = await startTestSimulator();
});

afterAll(async () => {
  await simulator.cleanup();
});

// One real process: proves `bin/aft-launcher.mjs` runs the TypeScript sources with no build
// step, takes the key from the environment, and hands the documented exit code to the shell.
it('node bin/aft-launcher.mjs start runs as a real process and exits with the job outcome', async () => {
  const args = [
    BIN,
    'start',
    '-n',
    'quick failure',
    '--host',
    simulator.url.replace('https://', ''),
    '--fingerprint',
    simulator.fingerprint256.replace(/:/g, '').toLowerCase(),
    '--param',
    'character=goofy',
    '--wait',
    '--json',
  ];
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve) => {
    const child = execFile(
      process.execPath,
      args,
      { env: { ...process.env, AFT_API_KEY: simulator.apiKey }, timeout: 20_000 },
      (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
  expect(stderr).toBe('');
  expect(code).toBe(EXIT_CODES.jobFailed);
  const [started, ended] = stdout
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(started).toMatchObject({ event: 'started', job: { id: expect.any(String) } });
  expect(ended).toMatchObject({ event: 'ended', job: { id: started.job.id, state: 'failed' } });
  expect(simulator.job(started.job.id)?.params).toEqual({ character: 'goofy' });
  expect(stdout).not.toContain(simulator.apiKey);
});
