// Proof: every fault the simulator (or the network) can produce reaches the person as its own
// specific error, and no launch is ever sent twice. Each row launches once through the real
// AFT! client over HTTPS, follows the job with the real follower, and checks what the person
// is told (error code AND wording) plus what the server counted (POSTs received, jobs created).
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AftClient, AftClientOptions, ServerEndpoint } from '../../app/core/aft/client.ts';
import { createAftClient } from '../../app/core/aft/client.ts';
import { AftError } from '../../app/core/aft/errors.ts';
import {
  createJobFollower,
  type FollowedJobRef,
  type FollowUpdate,
} from '../../app/core/aft/follower.ts';
import { systemClock } from '../../app/core/clock.ts';
import {
  addSimulatorServer,
  makeTempDir,
  openServices,
  plainJobOptions,
  waitForRunEnd,
} from '../core/main-services-harness.ts';
import type { FlatParams, JobInfo, JobTarget } from '../../app/shared/job.ts';
import type { FaultRule } from '../../app/simulator/simulator.ts';
import { pinnedEndpoint, startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';
import { printFigures, type FigureRow } from './figures.ts';

// Short timeouts only for the rows that test them: elsewhere a loaded 2-core machine running
// every suite at once must not turn a slow handshake into a false failure.
const SHORT_TIMEOUT_MS = 400;
const CLIENT_OPTIONS: AftClientOptions = {
  connectTimeoutMs: 5000,
  responseTimeoutMs: 5000,
  launchRetryDelaysMs: [20, 20],
};
const FAST_POLLING = { initialDelayMs: 15, factor: 1.5, maxDelayMs: 80, jitter: 0 };

const quickSuccess: JobTarget = { kind: 'scriptName', value: 'Quick Success' };
const shortJob: JobTarget = { kind: 'scriptName', value: 'Short Job' };

/** What the person ends up seeing for one launch, and what it cost the server. */
interface Outcome {
  /** The launch failed: this error is shown and nothing is followed. */
  launchError?: AftError;
  /** The job was started and followed: its last known state. */
  finalJob?: JobInfo;
  /** The job was started, but its status cannot be read with this key. */
  statusUnavailable?: AftError;
  transientErrors: AftError[];
  launchesReceived: number;
  jobsCreated: number;
}

interface Context {
  sim: TestSimulator;
  endpoint: ServerEndpoint;
}

interface Row {
  fault: string;
  /** Arranges the fault; returns where and what to launch. */
  arrange(context: Context): Promise<{
    endpoint?: ServerEndpoint;
    target?: JobTarget;
    params?: FlatParams;
    /** Runs once the launch has been answered, while the job is followed. */
    duringFollow?: () => Promise<void>;
    /**
     * Launched first on the same client (one socket per server), so the row's launch waits in
     * the agent's queue and is handed that kept-alive socket when it frees up.
     */
    queuedBehind?: JobTarget;
    clientOptions?: AftClientOptions;
  }>;
  expected:
    | {
        kind: 'launch-error';
        code: string;
        /** Each must appear in the message the person reads. */
        says: RegExp[];
        mayAlreadyBeRunning: boolean;
        launchesReceived: number;
        jobsCreated: number;
        status?: number;
      }
    | { kind: 'status-unavailable'; says: RegExp[] }
    | { kind: 'ended'; state: 'succeeded' | 'failed'; transientErrors: 'some' | 'none' };
}

const MAY_ALREADY_BE_RUNNING = /may already be running|has probably started/;
const NOTHING_STARTED =
  /Nothing was started|nothing was sent|before anything was sent|refused|rejected|has no script/i;

/** A loopback port where nothing listens (connections are refused). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never says a word (the TLS handshake stalls). */
const silentServers: net.Server[] = [];
const silentSockets: net.Socket[] = [];
async function silentPort(): Promise<number> {
  const server = net.createServer((socket) => silentSockets.push(socket));
  silentServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A row that only arranges a fault rule, then launches Quick Success. */
function injecting(rule: FaultRule): Row['arrange'] {
  return async ({ sim }) => {
    sim.injectFault(rule);
    return {};
  };
}

const rows: Row[] = [
  {
    fault: 'connection refused',
    arrange: async ({ endpoint }) => ({
      endpoint: { ...endpoint, baseUrl: `https://127.0.0.1:${await closedPort()}` },
    }),
    expected: {
      kind: 'launch-error',
      code: 'unreachable',
      says: [/connection was refused/, /Check that AFT! is running/],
      mayAlreadyBeRunning: false,
      launchesReceived: 0,
      jobsCreated: 0,
    },
  },
  {
    fault: 'connect timeout (TLS handshake never answered)',
    arrange: async ({ endpoint }) => ({
      endpoint: { ...endpoint, baseUrl: `https://127.0.0.1:${await silentPort()}` },
      clientOptions: { connectTimeoutMs: SHORT_TIMEOUT_MS },
    }),
    expected: {
      kind: 'launch-error',
      code: 'timeout',
      says: [/Could not connect/, /nothing was sent/, /0\.4 s/],
      mayAlreadyBeRunning: false,
      launchesReceived: 0,
      jobsCreated: 0,
    },
  },
  {
    // The one failure a launch may be retried after: nothing can have been sent.
    fault: 'reset on connect, twice (before TLS): retried, launched once',
    arrange: injecting({ endpoint: 'any', fault: { kind: 'reset-on-connect' }, times: 2 }),
    expected: { kind: 'ended', state: 'succeeded', transientErrors: 'none' },
  },
  {
    fault: 'reset on connect, every time',
    arrange: injecting({ endpoint: 'any', fault: { kind: 'reset-on-connect' } }),
    expected: {
      kind: 'launch-error',
      code: 'unreachable',
      says: [/closed before anything was sent/, /Check that the server is running/],
      mayAlreadyBeRunning: false,
      launchesReceived: 0,
      jobsCreated: 0,
    },
  },
  {
    fault: 'reset before the request is read',
    arrange: injecting({ endpoint: 'launch', fault: { kind: 'reset-before-read' }, times: 1 }),
    // The request was written before the server dropped the connection: the client cannot
    // know that the server read nothing, so it must not send it again by itself.
    expected: {
      kind: 'launch-error',
      code: 'unreachable',
      says: [/lost after the request was sent/, MAY_ALREADY_BE_RUNNING],
      mayAlreadyBeRunning: true,
      launchesReceived: 0,
      jobsCreated: 0,
    },
  },
  {
    fault: 'reset after the request is read (job created, no answer)',
    arrange: injecting({ endpoint: 'launch', fault: { kind: 'reset-after-read' }, times: 1 }),
    expected: {
      kind: 'launch-error',
      code: 'unreachable',
      says: [/lost after the request was sent/, MAY_ALREADY_BE_RUNNING],
      mayAlreadyBeRunning: true,
      launchesReceived: 1,
      jobsCreated: 1,
    },
  },
  {
    // More launches than sockets: the queued one is sent on a kept-alive socket handed over by
    // the agent, then the server resets after reading it. It must not be sent again.
    fault: 'reset after read, launch queued behind another',
    arrange: async ({ sim }) => {
      sim.injectFault({
        endpoint: 'launch',
        script: 'Quick Success',
        fault: { kind: 'delay', ms: 50 },
        times: 1,
      });
      sim.injectFault({
        endpoint: 'launch',
        script: 'Quick Failure',
        fault: { kind: 'reset-after-read' },
        times: 1,
      });
      return {
        target: { kind: 'scriptName', value: 'Quick Failure' },
        queuedBehind: quickSuccess,
        clientOptions: { maxSocketsPerServer: 1 },
      };
    },
    expected: {
      kind: 'launch-error',
      code: 'unreachable',
      says: [/lost after the request was sent/, MAY_ALREADY_BE_RUNNING],
      mayAlreadyBeRunning: true,
      launchesReceived: 1,
      jobsCreated: 1,
    },
  },
  {
    fault: 'response timeout (job created, answer too late)',
    arrange: async ({ sim }) => {
      sim.injectFault({
        endpoint: 'launch',
        fault: { kind: 'delay', ms: SHORT_TIMEOUT_MS * 4 },
        times: 1,
      });
      return { clientOptions: { responseTimeoutMs: SHORT_TIMEOUT_MS } };
    },
    expected: {
      kind: 'launch-error',
      code: 'timeout',
      says: [/did not answer within 0\.4 s/, MAY_ALREADY_BE_RUNNING],
      mayAlreadyBeRunning: true,
      launchesReceived: 1,
      jobsCreated: 1,
    },
  },
  ...[500, 502, 503].map((status): Row => ({
    fault: `HTTP ${status}`,
    arrange: injecting({
      endpoint: 'launch',
      fault: { kind: 'http-status', status, body: '{"error":"database is locked"}' },
      times: 1,
    }),
    expected: {
      kind: 'launch-error',
      code: 'server-error',
      says: [
        new RegExp(`internal error \\(HTTP ${status}`),
        /The server said: "database is locked"/,
        MAY_ALREADY_BE_RUNNING,
      ],
      mayAlreadyBeRunning: true,
      launchesReceived: 1,
      jobsCreated: 0,
      status,
    },
  })),
  {
    fault: 'malformed JSON in the 201',
    arrange: injecting({ endpoint: 'launch', fault: { kind: 'malformed-json' }, times: 1 }),
    expected: {
      kind: 'launch-error',
      code: 'malformed',
      says: [/is not valid JSON/, MAY_ALREADY_BE_RUNNING, /before running it again/],
      mayAlreadyBeRunning: true,
      launchesReceived: 1,
      jobsCreated: 1,
      status: 201,
    },
  },
  {
    fault: '201 without a job ID',
    arrange: injecting({ endpoint: 'launch', fault: { kind: 'no-id' }, times: 1 }),
    expected: {
      kind: 'launch-error',
      code: 'malformed',
      says: [/contains no job ID/, MAY_ALREADY_BE_RUNNING],
      mayAlreadyBeRunning: true,
      launchesReceived: 1,
      jobsCreated: 1,
      status: 201,
    },
  },
  {
    fault: '401 wrong key',
    arrange: async ({ endpoint }) => ({
      endpoint: { ...endpoint, apiKey: 'not-the-right-key-0123456789' },
    }),
    expected: {
      kind: 'launch-error',
      code: 'auth',
      says: [/API key was refused/, /not on the key's allow-list/, /Settings > API Keys/],
      mayAlreadyBeRunning: false,
      launchesReceived: 1,
      jobsCreated: 0,
      status: 401,
    },
  },
  {
    fault: "403 caller IP not on the key's allow-list",
    arrange: async ({ sim, endpoint }) => {
      const apiKey = 'proof-key-for-another-network-0001';
      sim.addKey({ key: apiKey, allow: ['10.0.0.0/8', '2001:db8::/32'] });
      return { endpoint: { ...endpoint, apiKey } };
    },
    expected: {
      kind: 'launch-error',
      code: 'auth',
      says: [/API key was refused/, /not on the key's allow-list/, /127\.0\.0\.1/],
      mayAlreadyBeRunning: false,
      launchesReceived: 1,
      jobsCreated: 0,
      status: 403,
    },
  },
  {
    fault: '404 unknown script',
    arrange: async () => ({ target: { kind: 'scriptName', value: 'No Such Script' } }),
    expected: {
      kind: 'launch-error',
      code: 'script-not-found',
      says: [/has no script named "No Such Script"/, /Check the name in the AFT! web UI/],
      mayAlreadyBeRunning: false,
      launchesReceived: 1,
      jobsCreated: 0,
      status: 404,
    },
  },
  {
    fault: '413 body over 1 MiB',
    arrange: async () => ({ params: { payload: 'x'.repeat(1024 * 1024 + 1) } }),
    expected: {
      kind: 'launch-error',
      code: 'rejected',
      says: [/HTTP 413/, /too large: shorten the parameters/],
      mayAlreadyBeRunning: false,
      launchesReceived: 1,
      jobsCreated: 0,
      status: 413,
    },
  },
  ...([401, 403, 404] as const).map((status): Row => ({
    fault: `status endpoint refuses the key (${status})`,
    arrange: injecting({ endpoint: 'status', fault: { kind: 'status-refuses-key', status } }),
    expected: {
      kind: 'status-unavailable',
      says: [
        /The job was started, but its status cannot be read with this key/,
        new RegExp(`HTTP ${status}`),
        /Follow the job in the AFT! web UI/,
      ],
    },
  })),
  ...(
    [
      ['status 503, twice', { kind: 'http-status', status: 503 }],
      ['status reset before read, twice', { kind: 'reset-before-read' }],
      ['status reset after read, twice', { kind: 'reset-after-read' }],
      ['status malformed JSON, twice', { kind: 'malformed-json' }],
      ['status answer too late, twice', { kind: 'delay', ms: SHORT_TIMEOUT_MS * 3 }],
    ] as const
  ).map(([fault, kind]): Row => ({
    fault,
    arrange: async ({ sim }) => {
      sim.injectFault({ endpoint: 'status', fault: kind, times: 2 });
      return { target: shortJob, clientOptions: { responseTimeoutMs: SHORT_TIMEOUT_MS } };
    },
    expected: { kind: 'ended', state: 'succeeded', transientErrors: 'some' },
  })),
  {
    fault: 'server restart in the middle of a run',
    arrange: async ({ sim }) => ({
      target: shortJob,
      // Once the follower has read the status over its kept-alive connection, the server goes
      // away and comes back on the same port: that connection is dead, the job lives on.
      duringFollow: async () => {
        const statusReads = sim.stats().statusRequests;
        while (sim.stats().statusRequests === statusReads) await sleep(5);
        await sim.restart();
      },
    }),
    expected: { kind: 'ended', state: 'succeeded', transientErrors: 'none' },
  },
  {
    fault: 'script fails (exit code 3)',
    arrange: async () => ({ target: { kind: 'scriptName', value: 'Quick Failure' } }),
    expected: { kind: 'ended', state: 'failed', transientErrors: 'none' },
  },
  {
    // Last: it replaces the simulator's certificate.
    fault: 'changed certificate',
    arrange: async ({ sim }) => {
      await sim.restart({ newCert: true });
      return {};
    },
    expected: {
      kind: 'launch-error',
      code: 'tls-changed',
      says: [
        /presented a different certificate from the one you trusted/,
        /nothing was sent \(not even the API key\)/,
        /Trusted SHA-256 fingerprint: [0-9A-F:]{95}\. Presented: [0-9A-F:]{95}/,
      ],
      mayAlreadyBeRunning: false,
      launchesReceived: 0,
      jobsCreated: 0,
    },
  },
];

let sim: TestSimulator;
const figures: FigureRow[] = [];
const runnerFigures: FigureRow[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  for (const socket of silentSockets) socket.destroy();
  for (const server of silentServers) server.close();
  await sim.cleanup();
  printFigures(
    `fault matrix: ${figures.length} faults, ${figures.reduce((sum, row) => sum + Number(row.POSTs), 0)} POSTs received, none twice`,
    figures,
  );
  printFigures('fault matrix through the runner: what history records', runnerFigures);
});

/** Launches and jobs the server counted since `before`, leaving out the launch queued ahead. */
function countedSince(
  before: ReturnType<TestSimulator['stats']>,
  ahead: unknown,
): Pick<Outcome, 'launchesReceived' | 'jobsCreated'> {
  const after = sim.stats();
  const aheadCount = ahead ? 1 : 0;
  return {
    launchesReceived: after.launchesReceived - before.launchesReceived - aheadCount,
    jobsCreated: after.jobsCreated - before.jobsCreated - aheadCount,
  };
}

/** Launches once and follows the job to its end (or until its status cannot be read). */
async function launchAndFollow(row: Row): Promise<Outcome> {
  sim.clearFaults();
  const pinned = pinnedEndpoint(sim);
  const arranged = await row.arrange({ sim, endpoint: pinned });
  const endpoint = arranged.endpoint ?? pinned;
  const before = sim.stats();
  const client = createAftClient({ ...CLIENT_OPTIONS, ...arranged.clientOptions });
  const follower = createJobFollower<FollowedJobRef & { jobId: string }>({
    clock: systemClock,
    policy: FAST_POLLING,
    readStatus: (ref) => client.getJob(endpoint, ref.jobId),
  });
  const outcome: Omit<Outcome, 'launchesReceived' | 'jobsCreated'> = { transientErrors: [] };
  const ahead = arranged.queuedBehind && client.launch(endpoint, arranged.queuedBehind, {});
  try {
    const job = await client.launch(
      endpoint,
      arranged.target ?? quickSuccess,
      arranged.params ?? {},
    );
    outcome.finalJob = job;
    const done = new Promise<void>((resolve) => {
      follower.follow(
        { key: job.id, jobId: job.id, knownState: job.state },
        (update: FollowUpdate) => {
          if (update.kind === 'transient-error') outcome.transientErrors.push(update.error);
          if (update.kind === 'status' || update.kind === 'ended') outcome.finalJob = update.job;
          if (update.kind === 'status-unavailable') outcome.statusUnavailable = update.error;
          if (update.kind === 'ended' || update.kind === 'status-unavailable') resolve();
        },
      );
    });
    await arranged.duringFollow?.();
    await done;
  } catch (error) {
    if (!(error instanceof AftError)) throw error;
    outcome.launchError = error;
  } finally {
    follower.stopAll();
    client.close();
  }
  await ahead;
  return { ...outcome, ...countedSince(before, ahead) };
}

/** At most once, whatever happened. */
function expectAtMostOnce(counted: Pick<Outcome, 'launchesReceived' | 'jobsCreated'>): void {
  expect(
    counted.launchesReceived,
    'POSTs received: the launch was sent more than once',
  ).toBeLessThanOrEqual(1);
  expect(
    counted.jobsCreated,
    'jobs created: the launch started more than one job',
  ).toBeLessThanOrEqual(1);
}

describe('fault matrix: the person sees the specific error, and nothing is launched twice', () => {
  it.each(rows.map((row) => [row.fault, row] as const))('%s', async (_name, row) => {
    const outcome = await launchAndFollow(row);
    const { expected } = row;
    const shown =
      outcome.launchError?.message ??
      outcome.statusUnavailable?.message ??
      `job ${outcome.finalJob?.state}`;
    figures.push({
      fault: row.fault,
      seen:
        outcome.launchError?.code ??
        (outcome.statusUnavailable ? 'status-unavailable' : (outcome.finalJob?.state ?? '?')),
      POSTs: outcome.launchesReceived,
      jobsCreated: outcome.jobsCreated,
      statusRetries: outcome.transientErrors.length,
    });

    // The key is never part of anything shown.
    expect(shown).not.toContain(sim.apiKey);
    expectAtMostOnce(outcome);

    switch (expected.kind) {
      case 'launch-error': {
        const error = outcome.launchError;
        expect(error, `expected a launch error, got ${shown}`).toBeInstanceOf(AftError);
        expect(error?.code).toBe(expected.code);
        for (const says of expected.says) expect(error?.message).toMatch(says);
        expect(error?.requestMayHaveReachedServer).toBe(expected.mayAlreadyBeRunning);
        if (!expected.mayAlreadyBeRunning) {
          expect(error?.message).not.toMatch(MAY_ALREADY_BE_RUNNING);
          expect(error?.message).toMatch(NOTHING_STARTED);
        }
        if (expected.status !== undefined) expect(error?.status).toBe(expected.status);
        expect(outcome.launchesReceived).toBe(expected.launchesReceived);
        expect(outcome.jobsCreated).toBe(expected.jobsCreated);
        break;
      }
      case 'status-unavailable': {
        expect(outcome.launchError).toBeUndefined();
        expect(outcome.statusUnavailable?.code).toBe('status-unavailable');
        for (const says of expected.says) expect(outcome.statusUnavailable?.message).toMatch(says);
        // Never reported as a failed launch: the job exists and was started once.
        expect(outcome.statusUnavailable?.message).not.toMatch(/fail/i);
        expect(outcome.launchesReceived).toBe(1);
        expect(outcome.jobsCreated).toBe(1);
        break;
      }
      case 'ended': {
        expect(outcome.launchError).toBeUndefined();
        expect(outcome.statusUnavailable).toBeUndefined();
        expect(outcome.finalJob?.state).toBe(expected.state);
        if (expected.transientErrors === 'some') {
          expect(outcome.transientErrors.length).toBeGreaterThan(0);
        }
        expect(outcome.launchesReceived).toBe(1);
        expect(outcome.jobsCreated).toBe(1);
        break;
      }
    }
  });
});

/** Values for the job's parameters: a value over the form's 100,000-character limit is split. */
function asParamValues(params: FlatParams): FlatParams {
  const values: FlatParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string' || value.length <= 100_000) {
      values[name] = value;
      continue;
    }
    for (let part = 0; part * 100_000 < value.length; part += 1) {
      values[`${name}${part}`] = value.slice(part * 100_000, (part + 1) * 100_000);
    }
  }
  return values;
}

/**
 * The same fault, met by a person running a saved job: the real services (runner, follower,
 * history on disk) over the real client. The server is added and pinned before the fault is
 * arranged, as it would have been; the row's endpoint (refused port, other key) stands in for
 * the saved one at the client, the only seam.
 */
async function throughRunner(row: Row) {
  sim.clearFaults();
  const temp = makeTempDir();
  let real = createAftClient(CLIENT_OPTIONS);
  /** Set once the fault is arranged: where and with which key the row's launch goes. */
  const seam: { endpoint?: ServerEndpoint } = {};
  const client: AftClient = {
    probeCertificate: (baseUrl) => real.probeCertificate(baseUrl),
    testConnection: (endpoint) => real.testConnection(endpoint),
    launch: (endpoint, target, params) => real.launch(seam.endpoint ?? endpoint, target, params),
    getJob: (endpoint, jobId) => real.getJob(seam.endpoint ?? endpoint, jobId),
    close: () => real.close(),
  };
  const harness = await openServices(temp.dir, { client });
  const server = await addSimulatorServer(harness, sim);
  const arranged = await row.arrange({ sim, endpoint: pinnedEndpoint(sim) });
  seam.endpoint = arranged.endpoint;
  if (arranged.clientOptions) {
    real.close();
    real = createAftClient({ ...CLIENT_OPTIONS, ...arranged.clientOptions });
  }
  const values = asParamValues(arranged.params ?? {});
  const job = await harness.call('jobs.save', {
    name: row.fault,
    serverId: server.id,
    target: arranged.target ?? quickSuccess,
    params: Object.keys(values).map((name) => ({ name, type: 'text' as const, required: true })),
    ...plainJobOptions(),
  });
  const before = sim.stats();
  const ahead =
    arranged.queuedBehind &&
    real.launch(seam.endpoint ?? pinnedEndpoint(sim), arranged.queuedBehind, {});
  const started = await harness.call('runs.start', { jobId: job.id, values });
  if (!started.ok) throw new Error(started.message);
  await arranged.duringFollow?.();
  const run = await waitForRunEnd(harness, started.run);
  await ahead;
  const counted = countedSince(before, ahead);
  harness.quit();
  client.close();

  // History loses nothing: after a restart, the run is there as it was left.
  const reopened = await openServices(temp.dir);
  const kept = await reopened.call('runs.history', { offset: 0, limit: 10 });
  reopened.quit();
  temp.remove();
  return {
    run,
    kept,
    ...counted,
  };
}

describe('fault matrix through the runner: each run recorded once, in the state the person must see', () => {
  it.each(rows.map((row) => [row.fault, row] as const))('%s', async (_name, row) => {
    const { run, kept, launchesReceived, jobsCreated } = await throughRunner(row);
    const { expected } = row;
    runnerFigures.push({
      fault: row.fault,
      state: run.state,
      error: run.error?.code ?? '',
      POSTs: launchesReceived,
      jobsCreated,
      inHistoryAfterRestart: kept.total,
    });
    expect(kept.total).toBe(1);
    expect(kept.runs[0]).toMatchObject({ id: run.id, state: run.state });
    expect(kept.runs[0]?.error).toEqual(run.error);
    expect(JSON.stringify(run)).not.toContain(sim.apiKey);
    expectAtMostOnce({ launchesReceived, jobsCreated });

    switch (expected.kind) {
      case 'launch-error':
        expect(run.state).toBe(expected.mayAlreadyBeRunning ? 'uncertain' : 'not-started');
        expect(run.error?.code).toBe(expected.code);
        for (const says of expected.says) expect(run.error?.message).toMatch(says);
        if (!expected.mayAlreadyBeRunning)
          expect(run.error?.message).not.toMatch(MAY_ALREADY_BE_RUNNING);
        expect(run.aftJobId).toBeUndefined();
        expect(launchesReceived).toBe(expected.launchesReceived);
        expect(jobsCreated).toBe(expected.jobsCreated);
        break;
      case 'status-unavailable':
        expect(run.state).toBe('status-unavailable');
        expect(run.aftJobId).toBeDefined();
        for (const says of expected.says) expect(run.error?.message).toMatch(says);
        expect(jobsCreated).toBe(1);
        break;
      case 'ended':
        expect(run.state).toBe(expected.state);
        expect(run.aftJobId).toBeDefined();
        expect(run.error).toBeUndefined();
        if (expected.state === 'failed') expect(run.exitCode).toBe(3);
        expect(jobsCreated).toBe(1);
        break;
    }
  });
});
