// The vendor page's own curl commands (/work/shared/aft-rest-api-seed.txt, "Linux/MacOS"),
// run with the real curl against the simulator, to show it answers them as AFT! does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';

const run = promisify(execFile);

// Verbatim copies of the vendor page's text. The `-k` (skip certificate checks) is the vendor's
// own: it is allowed here only because this test must run their commands exactly as written.
// Nothing else in this project switches TLS verification off.
const MINIMAL_EXAMPLE = `curl -sk -X POST https://127.0.0.1:44399/v1/jobs \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{"scriptName":"My Backup Job"}'`;

const WITH_PARAMETERS = `curl -sk -X POST https://127.0.0.1:44399/v1/jobs \\
-H "X-API-Key: your-api-key-here" \\
-H "Content-Type: application/json" \\
-d '{"scriptName":"My Backup Job","params":{"destination":"/archive/2026","character":"goofy"}}'`;

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.cleanup();
});

/** Only the host:port and the key are substituted; the rest of the text is run as written. */
function forThisSimulator(command: string): string {
  const substituted = command
    .replace('https://127.0.0.1:44399/', `${sim.url}/`)
    .replace('your-api-key-here', sim.apiKey);
  expect(substituted).not.toBe(command);
  return substituted;
}

async function runVendorCommand(command: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('sh', ['-c', forThisSimulator(command)], { timeout: 15_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the vendor page's curl commands", () => {
  it('minimal example: prints a 201 job info with a job ID, and the job is started', async () => {
    const before = sim.stats().jobsCreated;
    const info = await runVendorCommand(MINIMAL_EXAMPLE);
    expect(info.id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(info).toMatchObject({ scriptName: 'My Backup Job', status: 'queued', params: {} });
    expect(sim.stats().jobsCreated).toBe(before + 1);
    expect(sim.job(info.id as string)).toMatchObject({ scriptName: 'My Backup Job', params: {} });
  });

  it('with parameters: the job is started with exactly those parameters', async () => {
    const info = await runVendorCommand(WITH_PARAMETERS);
    expect(info.id).toMatch(/^[0-9A-Za-z]{22}$/);
    const params = { destination: '/archive/2026', character: 'goofy' };
    expect(info.params).toEqual(params);
    expect(sim.job(info.id as string)).toMatchObject({ scriptName: 'My Backup Job', params });
  });

  it('prints a 201 status line for the minimal example', async () => {
    // curl -s prints only the body; -w adds the status code without changing the command's request.
    const { stdout } = await run(
      'sh',
      ['-c', `${forThisSimulator(MINIMAL_EXAMPLE)} -o /dev/null -w '%{http_code}'`],
      { timeout: 15_000 },
    );
    expect(stdout).toBe('201');
  });
});
