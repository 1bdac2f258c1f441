// The AFT! client over real HTTPS on loopback against the simulator: launches, status reads,
// every error class, at-most-once, keep-alive.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AftClient, AftClientOptions } from '../../../app/core/aft/client.ts';
import { createAftClient, launchBody } from '../../../app/core/aft/client.ts';
import type { AftError } from '../../../app/core/aft/errors.ts';
import { aftErrorFrom } from '../../helpers/aft-error.ts';
import { createJobFollower, type FollowUpdate } from '../../../app/core/aft/follower.ts';
import { systemClock } from '../../../app/core/clock.ts';
import type { JobInfo, JobTarget } from '../../../app/shared/job.ts';
import { isTerminal } from '../../../app/shared/job.ts';
import { pinnedEndpoint, startTestSimulator, type TestSimulator } from '../../helpers/simulator.ts';

const quick: JobTarget = { kind: 'scriptName', value: 'Quick Success' };
const FAST_RETRIES: AftClientOptions = { launchRetryDelaysMs: [20, 20] };

let sim: TestSimulator;
let client: AftClient;
const servers: net.Server[] = [];

/** The error the client rejects with, which never shows the key. */
async function failure(promise: Promise<unknown>): Promise<AftError> {
  const error = await aftErrorFrom(promise);
  expect(error.message).not.toContain(sim.apiKey);
  return error;
}

async function waitForEnd(job: JobInfo): Promise<JobInfo> {
  let current = job;
  for (let i = 0; i < 100 && !isTerminal(current.state); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    current = await client.getJob(pinnedEndpoint(sim), job.id);
  }
  return current;
}

/** A loopback TCP server; `onSocket` decides what each connection gets. */
async function tcpServer(onSocket: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterEach(() => {
  client?.close();
  sim.clearFaults();
  sim.setJobInfoShape('flat');
  for (const server of servers.splice(0)) server.close();
});
afterAll(async () => {
  await sim.cleanup();
});

describe('launch and status', () => {
  it('launches by script name (any case), ID and file path, with params, and reads the status to the end', async () => {
    client = createAftClient();
    const targets: JobTarget[] = [
      { kind: 'scriptName', value: 'quick SUCCESS' },
      { kind: 'scriptId', value: 'QckSuccess000000000001' },
      { kind: 'filePath', value: '/srv/aft/tests/quick-success.syncjs' },
    ];
    for (const target of targets) {
      const job = await client.launch(pinnedEndpoint(sim), target, {
        destination: '/archive/2026',
        copies: 2,
        dryRun: true,
      });
      expect(job.id).toBeTruthy();
      expect(['queued', 'running']).toContain(job.state);
      const recorded = sim.job(job.id)!;
      expect(recorded.target).toEqual(target);
      expect(recorded.params).toEqual({ destination: '/archive/2026', copies: 2, dryRun: true });
      expect(await waitForEnd(job)).toMatchObject({ id: job.id, state: 'succeeded', exitCode: 0 });
    }
  });

  it('sends exactly one target key, and params only when there are some', () => {
    expect(JSON.parse(launchBody(quick, {}))).toEqual({ scriptName: 'Quick Success' });
    expect(JSON.parse(launchBody({ kind: 'filePath', value: '/a.syncjs' }, { k: 'v' }))).toEqual({
      filePath: '/a.syncjs',
      params: { k: 'v' },
    });
  });

  it.each(['flat', 'nested', 'snake'] as const)(
    'reads the %s job info shape to a failed end with its exit code',
    async (shape) => {
      client = createAftClient();
      sim.setJobInfoShape(shape);
      const job = await client.launch(
        pinnedEndpoint(sim),
        { kind: 'scriptName', value: 'Quick Failure' },
        {},
      );
      expect(sim.job(job.id)).toBeDefined();
      expect(await waitForEnd(job)).toMatchObject({ state: 'failed', exitCode: 3 });
    },
  );

  it('reuses one kept-alive connection for 10 sequential launches', async () => {
    client = createAftClient();
    const before = sim.stats().connections;
    for (let i = 0; i < 10; i += 1) await client.launch(pinnedEndpoint(sim), quick, { run: i });
    expect(sim.stats().connections - before).toBe(1);
  });

  it('checks the connection without starting a job', async () => {
    client = createAftClient();
    const created = sim.stats().jobsCreated;
    await expect(client.testConnection(pinnedEndpoint(sim))).resolves.toMatchObject({
      key: 'accepted',
      tls: 'pinned',
    });
    const refused = await client.testConnection(pinnedEndpoint(sim, { apiKey: 'not-a-real-key' }));
    expect(refused.key).toBe('not-verified');
    expect(refused.summary).toContain('allow-list');
    expect(sim.stats().jobsCreated).toBe(created);
  });
});

describe('errors the server answers', () => {
  it('401: wrong key, naming both the key and the IP allow-list', async () => {
    client = createAftClient();
    const error = await failure(
      client.launch(pinnedEndpoint(sim, { apiKey: 'wrong-key-123' }), quick, {}),
    );
    expect(error).toMatchObject({ code: 'auth', status: 401, requestMayHaveReachedServer: false });
    expect(error.message).toContain('API key was refused');
    expect(error.message).toContain('allow-list');
    expect(error.message).not.toContain('wrong-key-123');
  });

  it('403: the key does not allow this IP', async () => {
    sim.addKey({ key: 'office-only-key', allow: ['10.1.0.0/16'] });
    client = createAftClient();
    const error = await failure(
      client.launch(pinnedEndpoint(sim, { apiKey: 'office-only-key' }), quick, {}),
    );
    expect(error).toMatchObject({ code: 'auth', status: 403 });
    expect(error.message).toContain("this machine's IP address is not on the key's allow-list");
    expect(error.message).not.toContain('office-only-key');
  });

  it('404: unknown script, named', async () => {
    client = createAftClient();
    const error = await failure(
      client.launch(pinnedEndpoint(sim), { kind: 'scriptName', value: 'No Such Script' }, {}),
    );
    expect(error).toMatchObject({ code: 'script-not-found', status: 404 });
    expect(error.message).toContain('"No Such Script"');
  });

  it('413: parameters too large, with the server message', async () => {
    client = createAftClient();
    const created = sim.stats().jobsCreated;
    const error = await failure(
      client.launch(pinnedEndpoint(sim), quick, { blob: 'x'.repeat(1024 * 1024 + 10) }),
    );
    expect(error).toMatchObject({ code: 'rejected', status: 413 });
    expect(error.serverMessage).toBeTruthy();
    expect(error.message).toContain(error.serverMessage!);
    expect(sim.stats().jobsCreated).toBe(created);
  });

  it.each([
    [400, 'rejected', '{"error":{"message":"params must be flat"}}', 'params must be flat'],
    [
      415,
      'rejected',
      'Content-Type must be application/json',
      'Content-Type must be application/json',
    ],
    [500, 'server-error', '{"title":"database locked"}', 'database locked'],
    [503, 'server-error', '<html><h1>Service Unavailable</h1></html>', 'Service Unavailable'],
  ])('%i is %s, with the server message', async (status, code, body, shown) => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'http-status', status, body }, times: 1 });
    client = createAftClient();
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error).toMatchObject({ code, status, serverMessage: shown });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain(shown);
    if (status >= 500)
      expect(error.message).toContain('check the AFT! web UI before running it again');
  });

  it('never shows the API key, even when the server echoes it', async () => {
    sim.injectFault({
      endpoint: 'launch',
      fault: {
        kind: 'http-status',
        status: 401,
        body: JSON.stringify({ message: `unknown key ${sim.apiKey}` }),
      },
      times: 1,
    });
    client = createAftClient();
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error.serverMessage).toBe('unknown key [redacted]');
  });

  it('malformed JSON after a 201: the job probably started', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'malformed-json' }, times: 1 });
    client = createAftClient();
    const created = sim.stats().jobsCreated;
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error).toMatchObject({
      code: 'malformed',
      status: 201,
      requestMayHaveReachedServer: true,
    });
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain('check the AFT! web UI');
    expect(sim.stats().jobsCreated).toBe(created + 1);
  });

  it('a 201 without a job ID is malformed, not retried', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'no-id' }, times: 1 });
    client = createAftClient(FAST_RETRIES);
    const before = sim.stats();
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error).toMatchObject({ code: 'malformed', requestMayHaveReachedServer: true });
    expect(error.message).toContain('no job ID');
    expect(sim.stats().launchesReceived).toBe(before.launchesReceived + 1);
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated + 1);
  });

  it('a status endpoint that refuses the key: started, status unavailable', async () => {
    sim.injectFault({ endpoint: 'status', fault: { kind: 'status-refuses-key', status: 403 } });
    client = createAftClient();
    const job = await client.launch(pinnedEndpoint(sim), quick, {});
    const error = await failure(client.getJob(pinnedEndpoint(sim), job.id));
    expect(error).toMatchObject({ code: 'status-unavailable', status: 403 });
    expect(error.message).toContain(
      'The job was started, but its status cannot be read with this key',
    );

    const follower = createJobFollower({
      clock: systemClock,
      policy: { initialDelayMs: 10 },
      readStatus: (ref: { key: string; jobId: string }) =>
        client.getJob(pinnedEndpoint(sim), ref.jobId),
    });
    const update = await new Promise<FollowUpdate>((resolve) => {
      follower.follow({ key: 'run-1', jobId: job.id }, resolve);
    });
    expect(update.kind).toBe('status-unavailable');
    expect(follower.activeCount()).toBe(0);
  });
});

describe('at most once', () => {
  it('a response timeout is not retried and says the job may have started', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'delay', ms: 1500 }, times: 1 });
    client = createAftClient({ ...FAST_RETRIES, responseTimeoutMs: 200 });
    const before = sim.stats();
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error).toMatchObject({ code: 'timeout', requestMayHaveReachedServer: true });
    expect(error.details?.timeoutPhase).toBe('response');
    expect(error.message).toContain('did not answer within 0.2 s');
    expect(error.message).toContain('The job may already be running');
    expect(sim.stats().launchesReceived).toBe(before.launchesReceived + 1);
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated + 1);
  });

  it('a reset after the server read the request is not retried: the job may have started', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'reset-after-read' }, times: 1 });
    client = createAftClient(FAST_RETRIES);
    const before = sim.stats();
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error).toMatchObject({ code: 'unreachable', requestMayHaveReachedServer: true });
    expect(error.message).toContain('after the request was sent');
    expect(error.message).toContain('check the AFT! web UI before running it again');
    expect(sim.stats().launchesReceived).toBe(before.launchesReceived + 1);
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated + 1);
  });

  it('a reset once the request was written is not retried, even if the server had not read it', async () => {
    // The simulator resets after reading the headers: the whole request had left this machine,
    // which the client cannot tell apart from a reset after the job was created.
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'reset-before-read' }, times: 1 });
    client = createAftClient(FAST_RETRIES);
    const before = sim.stats();
    const error = await failure(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error).toMatchObject({ code: 'unreachable', requestMayHaveReachedServer: true });
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated);
    expect(sim.stats().connections).toBe(before.connections + 1);
  });

  it('a connection reset during the TLS handshake (nothing sent) is retried: exactly one job', async () => {
    let connections = 0;
    const port = await tcpServer((socket) => {
      connections += 1;
      if (connections === 1) {
        socket.resetAndDestroy();
        return;
      }
      const upstream = net.connect(sim.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    client = createAftClient(FAST_RETRIES);
    const before = sim.stats();
    const job = await client.launch(
      pinnedEndpoint(sim, { baseUrl: `https://127.0.0.1:${port}` }),
      quick,
      {},
    );
    expect(sim.job(job.id)).toBeDefined();
    expect(connections).toBe(2);
    expect(sim.stats().launchesReceived).toBe(before.launchesReceived + 1);
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated + 1);
  });

  it('gives up after two retries when every connection is reset before the handshake', async () => {
    let connections = 0;
    const port = await tcpServer((socket) => {
      connections += 1;
      socket.resetAndDestroy();
    });
    client = createAftClient(FAST_RETRIES);
    const error = await failure(
      client.launch(pinnedEndpoint(sim, { baseUrl: `https://127.0.0.1:${port}` }), quick, {}),
    );
    expect(error).toMatchObject({ code: 'unreachable', requestMayHaveReachedServer: false });
    expect(error.message).toContain('closed before anything was sent');
    expect(connections).toBe(3);
  });
});

describe('errors before any answer', () => {
  it('a refused port: cannot reach, check that AFT! is running', async () => {
    const port = await tcpServer(() => {});
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    client = createAftClient(FAST_RETRIES);
    const error = await failure(
      client.launch(pinnedEndpoint(sim, { baseUrl: `https://127.0.0.1:${port}` }), quick, {}),
    );
    expect(error).toMatchObject({ code: 'unreachable', requestMayHaveReachedServer: false });
    expect(error.details?.systemCode).toBe('ECONNREFUSED');
    expect(error.message).toContain('connection was refused');
  });

  it('a host name that does not resolve', async () => {
    client = createAftClient(FAST_RETRIES);
    const error = await failure(
      client.launch(
        pinnedEndpoint(sim, { baseUrl: 'https://nonexistent.invalid:44399' }),
        quick,
        {},
      ),
    );
    expect(error).toMatchObject({ code: 'unreachable', requestMayHaveReachedServer: false });
    expect(error.message).toContain('"nonexistent.invalid" could not be found');
  });

  it('a server that never completes the handshake: connect timeout, nothing sent', async () => {
    const held: net.Socket[] = [];
    const port = await tcpServer((socket) => held.push(socket));
    client = createAftClient({ ...FAST_RETRIES, connectTimeoutMs: 200 });
    const error = await failure(
      client.launch(pinnedEndpoint(sim, { baseUrl: `https://127.0.0.1:${port}` }), quick, {}),
    );
    expect(error).toMatchObject({ code: 'timeout', requestMayHaveReachedServer: false });
    expect(error.details?.timeoutPhase).toBe('connect');
    expect(error.message).toContain('nothing was sent');
    expect(held).toHaveLength(1);
    held.forEach((socket) => socket.destroy());
  });

  it('something that is not TLS at the address', async () => {
    const port = await tcpServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    client = createAftClient({ launchRetryDelaysMs: [] });
    const error = await failure(
      client.launch(pinnedEndpoint(sim, { baseUrl: `https://127.0.0.1:${port}` }), quick, {}),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toContain('does not speak TLS');
  });

  it.each([
    ['http://127.0.0.1:44399', 'HTTPS only'],
    ['https://127.0.0.1:44399/v1/jobs', 'path'],
  ])('an unusable address %s', async (baseUrl, reason) => {
    client = createAftClient();
    const error = await failure(client.launch(pinnedEndpoint(sim, { baseUrl }), quick, {}));
    expect(error.code).toBe('invalid-url');
    expect(error.message).toContain(reason);
  });
});
