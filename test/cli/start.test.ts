import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartOptions } from '../../app/cli/args.ts';
import { EXIT_CODES } from '../../app/cli/exit-codes.ts';
import { runStart } from '../../app/cli/start.ts';
import { createAftClient, type AftClient } from '../../app/core/aft/client.ts';
import { systemClock } from '../../app/core/clock.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';

let simulator: TestSimulator;
let client: AftClient;

beforeAll(async () => {
  simulator = await startTestSimulator();
  // No automatic re-tries of refused connections: the refused-port case answers at once.
  client = createAftClient({ launchRetryDelaysMs: [] });
});

afterAll(async () => {
  client.close();
  await simulator.cleanup();
});

function optionsFor(overrides: Partial<StartOptions> = {}): StartOptions {
  return {
    target: { kind: 'scriptName', value: 'Quick Success' },
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    params: {},
    fingerprint: simulator.fingerprint256,
    wait: false,
    json: false,
    ...overrides,
  };
}

async function run(overrides: Partial<StartOptions> = {}, signal?: AbortSignal) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runStart(optionsFor(overrides), {
    client,
    clock: systemClock,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    signal,
  });
  return { exitCode, stdout, stderr };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('aft-launcher start against the simulator', () => {
  it('starts a job on a pinned server and says which', async () => {
    const before = simulator.stats().jobsCreated;
    const result = await run({ params: { destination: '/archive/2026' } });
    expect(result.exitCode).toBe(EXIT_CODES.ok);
    const id = /^Started job (\S+) \(Quick Success\) on https:\/\/127\.0\.0\.1:\d+\n$/.exec(
      result.stdout,
    )?.[1];
    expect(id).toBeDefined();
    expect(simulator.job(id!)?.params).toEqual({ destination: '/archive/2026' });
    expect(simulator.stats().jobsCreated).toBe(before + 1);
    expect(result.stderr).toBe('');
  });

  it('with --wait follows a job to success: exit 0, a line per state and the end', async () => {
    const result = await run({ wait: true });
    expect(result.exitCode).toBe(EXIT_CODES.ok);
    expect(result.stdout).toMatch(
      /^Started job (\S+) .*\n(Job \1 is running\.\n)?Job \1 succeeded \(exit code 0\)\.\n$/,
    );
  });

  it('with --wait exits 8 when the job fails, showing its exit code', async () => {
    const result = await run({
      wait: true,
      target: { kind: 'scriptName', value: 'quick failure' },
    });
    expect(result.exitCode).toBe(EXIT_CODES.jobFailed);
    expect(result.stdout).toMatch(/Job \S+ failed \(exit code 3\)\.\n$/);
  });

  it('--json prints the launch and the final job as one JSON object per line', async () => {
    const result = await run({
      wait: true,
      json: true,
      target: { kind: 'scriptId', value: 'QckFailure000000000002' },
    });
    expect(result.exitCode).toBe(EXIT_CODES.jobFailed);
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string; job: { id: string } });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      event: 'started',
      server: simulator.url,
      target: { kind: 'scriptId', value: 'QckFailure000000000002' },
      job: { id: expect.any(String) },
    });
    expect(lines[1]).toMatchObject({
      event: 'ended',
      job: { id: lines[0]?.job.id, state: 'failed', exitCode: 3 },
      exitCode: EXIT_CODES.jobFailed,
    });
  });

  it('exits 5 when the key is refused, and never prints the key', async () => {
    const result = await run({ apiKey: 'not-the-right-key-123' });
    expect(result.exitCode).toBe(EXIT_CODES.auth);
    expect(result.stderr).toMatch(/key was refused.*allow-list/);
    expect(result.stdout + result.stderr).not.toContain('not-the-right-key-123');
  });

  it('exits 4 without sending anything when the fingerprint does not match', async () => {
    const before = simulator.stats().launchesReceived;
    const wrong = simulator.fingerprint256.replace(/^../, (pair) => (pair === '00' ? '11' : '00'));
    const result = await run({ fingerprint: wrong });
    expect(result.exitCode).toBe(EXIT_CODES.tls);
    expect(result.stderr).toContain(`Presented: ${simulator.fingerprint256}`);
    expect(simulator.stats().launchesReceived).toBe(before);
  });

  it('exits 4 for an unpinned self-signed certificate and shows how to pin it', async () => {
    const result = await run({ fingerprint: undefined });
    expect(result.exitCode).toBe(EXIT_CODES.tls);
    expect(result.stderr).toContain(`--fingerprint ${simulator.fingerprint256}`);
  });

  it('exits 3 when nothing listens on the port', async () => {
    const url = `https://127.0.0.1:${await closedPort()}`;
    const result = await run({ baseUrl: url, fingerprint: undefined });
    expect(result.exitCode).toBe(EXIT_CODES.network);
    expect(result.stderr).toMatch(/connection was refused/);
  });

  it('exits 6 for an unknown script, with --json reporting the error as a line too', async () => {
    const result = await run({
      target: { kind: 'scriptName', value: 'No Such Script' },
      json: true,
    });
    expect(result.exitCode).toBe(EXIT_CODES.rejected);
    expect(result.stderr).toMatch(/no script named "No Such Script"/);
    expect(JSON.parse(result.stdout)).toMatchObject({
      event: 'error',
      code: 'script-not-found',
      status: 404,
      exitCode: EXIT_CODES.rejected,
    });
  });

  it('with --wait exits 9 (started, outcome unknown) when the status cannot be read', async () => {
    const removeFault = simulator.injectFault({
      endpoint: 'status',
      script: 'Quick Success',
      fault: { kind: 'status-refuses-key', status: 403 },
    });
    try {
      const result = await run({ wait: true });
      expect(result.exitCode).toBe(EXIT_CODES.outcomeUnknown);
      expect(result.stdout).toMatch(/^Started job /);
      expect(result.stderr).toMatch(/job was started, but its status cannot be read/);
    } finally {
      removeFault();
    }
  });

  it('with --wait and --timeout exits 9 when the job outlasts the wait', async () => {
    const result = await run({
      wait: true,
      timeoutMs: 300,
      target: { kind: 'scriptName', value: 'Long Job' },
    });
    expect(result.exitCode).toBe(EXIT_CODES.outcomeUnknown);
    expect(result.stderr).toMatch(/Stopped waiting after 0\.3 s .*may still be running/);
  });

  it('exits 7 on a server error, saying the job may have started', async () => {
    const removeFault = simulator.injectFault({
      endpoint: 'launch',
      fault: { kind: 'http-status', status: 503, body: '{"error":"maintenance"}' },
      times: 1,
    });
    try {
      const result = await run();
      expect(result.exitCode).toBe(EXIT_CODES.serverError);
      expect(result.stderr).toMatch(/HTTP 503.*"maintenance".*check the AFT! web UI/);
    } finally {
      removeFault();
    }
  });

  it('exits 9, not 7, when the server answers 201 Created without a job ID (the job started)', async () => {
    const before = simulator.stats().jobsCreated;
    const removeFault = simulator.injectFault({
      endpoint: 'launch',
      fault: { kind: 'no-id' },
      times: 1,
    });
    try {
      const result = await run();
      expect(simulator.stats().jobsCreated).toBe(before + 1);
      expect(result.exitCode).toBe(EXIT_CODES.outcomeUnknown);
      expect(result.stderr).toMatch(/contains no job ID.*before running it again/);
    } finally {
      removeFault();
    }
  });

  it('exits 9 and sends nothing again when the connection drops after the request', async () => {
    const before = simulator.stats().launchesReceived;
    const removeFault = simulator.injectFault({
      endpoint: 'launch',
      fault: { kind: 'reset-after-read' },
      times: 1,
    });
    try {
      const result = await run();
      expect(result.exitCode).toBe(EXIT_CODES.outcomeUnknown);
      expect(result.stderr).toMatch(/may already be running/);
      expect(simulator.stats().launchesReceived).toBe(before + 1);
    } finally {
      removeFault();
    }
  });

  it('stops a --wait when interrupted, naming the job that keeps running', async () => {
    const interrupt = new AbortController();
    const running = run(
      { wait: true, target: { kind: 'scriptName', value: 'Long Job' } },
      interrupt.signal,
    );
    setTimeout(() => interrupt.abort(), 100);
    const result = await running;
    expect(result.exitCode).toBe(EXIT_CODES.outcomeUnknown);
    const id = /^Started job (\S+)/.exec(result.stdout)?.[1];
    expect(result.stderr).toContain(`Stopped waiting (interrupted): job ${id} was last seen`);
  });
});
