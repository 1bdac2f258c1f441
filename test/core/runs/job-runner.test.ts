// The runner against the simulator over real HTTPS (pinned certificate), through the same
// handlers the window calls.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcRequests } from '../../../app/shared/ipc-contract.ts';
import type { Run, SavedJob } from '../../../app/shared/model.ts';
import { REDACTED } from '../../../app/shared/model.ts';
import { startTestSimulator, type TestSimulator } from '../../helpers/simulator.ts';
import {
  addSimulatorServer,
  makeTempDir,
  openServices,
  plainJobOptions,
  type ServicesHarness,
} from '../main-services-harness.ts';

let simulator: TestSimulator;
let temp: ReturnType<typeof makeTempDir>;
let harness: ServicesHarness;
let serverId: string;

const SECRET = 'pa$$-w0rd-"quoted"';

beforeAll(async () => {
  simulator = await startTestSimulator();
  simulator.addScript({
    name: 'Resumable Job',
    id: 'Resumable0000000000005',
    queuedMs: 10,
    durationMs: 600,
    outcome: 'success',
  });
});
afterAll(() => simulator.cleanup());

beforeEach(async () => {
  temp = makeTempDir();
  harness = await openServices(temp.dir);
  await harness.call('servers.probe', { baseUrl: simulator.url });
  const server = await addSimulatorServer(harness, simulator);
  serverId = server.id;
});
afterEach(() => {
  harness.quit();
  simulator.clearFaults();
  temp.remove();
});

async function saveJob(h: ServicesHarness, scriptName: string): Promise<SavedJob> {
  return h.call('jobs.save', {
    name: `Run ${scriptName}`,
    serverId,
    target: { kind: 'scriptName', value: scriptName },
    params: [
      { name: 'destination', label: 'Destination', type: 'text', required: true },
      { name: 'retries', label: 'Retries', type: 'number', min: 0, max: 5, required: false },
      { name: 'password', label: 'Password', type: 'secret', required: true },
    ],
    ...plainJobOptions(),
  });
}

function latest(h: ServicesHarness, runId: string): Run | undefined {
  return h.recorded.events
    .filter((event) => event.name === 'runUpdated')
    .map((event) => event.payload as Run)
    .filter((run) => run.id === runId)
    .at(-1);
}

async function waitForState(h: ServicesHarness, runId: string, state: Run['state']): Promise<Run> {
  await vi.waitFor(() => expect(latest(h, runId)?.state).toBe(state), {
    timeout: 5000,
    interval: 10,
  });
  return latest(h, runId)!;
}

async function startRun(h: ServicesHarness, job: SavedJob, values = {}) {
  const result = await h.call('runs.start', {
    jobId: job.id,
    values: { destination: '/archive/2026', retries: '2', password: SECRET, ...values },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
  return result.run;
}

describe('job runner against the simulator', () => {
  it('runs a job to success, sending the typed values and recording them redacted', async () => {
    const job = await saveJob(harness, 'Quick Success');
    const run = await startRun(harness, job);
    expect(run.aftJobId).toBeTruthy();

    const ended = await waitForState(harness, run.id, 'succeeded');
    expect(ended.exitCode).toBe(0);
    expect(ended.endedAt).toBeTruthy();
    expect(ended.values).toEqual({ destination: '/archive/2026', retries: 2, password: REDACTED });
    expect(ended.timeline.map((step) => step.state)).toEqual(
      expect.arrayContaining(['launching', 'succeeded']),
    );
    expect(simulator.job(run.aftJobId!)?.params).toEqual({
      destination: '/archive/2026',
      retries: 2,
      password: SECRET,
    });
    // The tray and notifier saw the same end.
    expect(harness.recorded.observed.filter((r) => r.id === run.id).at(-1)?.state).toBe(
      'succeeded',
    );
    // Last-used values are remembered; the secret only as "saved".
    const saved = await harness.call('jobs.get', { id: job.id });
    expect(saved.lastValues).toEqual({ destination: '/archive/2026', retries: 2 });
    expect(saved.savedSecretParams).toEqual(['password']);
  });

  it('sends nothing and answers per field when values are invalid', async () => {
    const job = await saveJob(harness, 'Quick Success');
    const before = simulator.stats().launchesReceived;
    const result = await harness.call('runs.start', {
      jobId: job.id,
      values: { destination: '', retries: '9' },
    });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining('nothing was sent'),
      fieldErrors: {
        destination: 'Destination is required.',
        retries: 'Retries must be at most 5.',
        password: 'Password is required.',
      },
    });
    expect(simulator.stats().launchesReceived).toBe(before);
  });

  it('records a failed job with its exit code', async () => {
    const job = await saveJob(harness, 'Quick Failure');
    const run = await startRun(harness, job);
    const ended = await waitForState(harness, run.id, 'failed');
    expect(ended.exitCode).toBe(3);
  });

  it('says "not started" when the server refused the launch', async () => {
    const job = await saveJob(harness, 'No Such Script');
    const run = await startRun(harness, job);
    expect(run.state).toBe('not-started');
    expect(run.error?.code).toBe('script-not-found');
  });

  it('says "uncertain", and does not send again, when the connection dropped after sending', async () => {
    const job = await saveJob(harness, 'Quick Success');
    simulator.injectFault({ endpoint: 'launch', fault: { kind: 'reset-after-read' }, times: 1 });
    const before = simulator.stats().launchesReceived;
    const run = await startRun(harness, job);
    expect(run.state).toBe('uncertain');
    expect(run.error?.message).toMatch(/check the AFT! web UI before running it again/);
    expect(simulator.stats().launchesReceived - before).toBe(1);
  });

  it('says the job started but its status is unavailable when the status endpoint refuses the key', async () => {
    const job = await saveJob(harness, 'Quick Success');
    simulator.injectFault({
      endpoint: 'status',
      fault: { kind: 'status-refuses-key', status: 403 },
    });
    const run = await startRun(harness, job);
    const unavailable = await waitForState(harness, run.id, 'status-unavailable');
    expect(unavailable.aftJobId).toBe(run.aftJobId);
    expect(unavailable.error?.message).toMatch(/was started/);
  });

  it('re-runs with the same values, the secret coming from the vault', async () => {
    const job = await saveJob(harness, 'Quick Success');
    const first = await startRun(harness, job);
    await waitForState(harness, first.id, 'succeeded');
    const again = await harness.call('runs.rerun', { id: first.id });
    if (!again.ok) throw new Error('rerun refused');
    expect(again.run.id).not.toBe(first.id);
    expect(simulator.job(again.run.aftJobId!)?.params).toEqual({
      destination: '/archive/2026',
      retries: 2,
      password: SECRET,
    });
  });

  it('runs an ad-hoc target to success, recorded and followed like a saved job, and re-runs it', async () => {
    const before = simulator.stats().launchesReceived;
    const result = await harness.call('runs.startAdHoc', {
      serverId,
      target: { kind: 'scriptName', value: 'Quick Success' },
      params: { dest: '/try', count: 2, dryRun: true },
    });
    if (!result.ok) throw new Error(result.message);
    expect(result.run).toMatchObject({
      jobName: 'Quick Success',
      serverId,
      serverName: 'Simulator',
    });
    expect(result.run).not.toHaveProperty('savedJobId');

    const ended = await waitForState(harness, result.run.id, 'succeeded');
    expect(ended.exitCode).toBe(0);
    expect(ended.values).toEqual({ dest: '/try', count: 2, dryRun: true });
    expect(simulator.job(ended.aftJobId!)?.params).toEqual({
      dest: '/try',
      count: 2,
      dryRun: true,
    });
    expect(harness.recorded.observed.filter((r) => r.id === ended.id).at(-1)?.state).toBe(
      'succeeded',
    );
    const { runs } = await harness.call('runs.history', { offset: 0, limit: 10 });
    expect(runs.map((run) => run.id)).toEqual([ended.id]);

    const again = await harness.call('runs.rerun', { id: ended.id });
    if (!again.ok) throw new Error(again.message);
    const rerun = await waitForState(harness, again.run.id, 'succeeded');
    expect(rerun).toMatchObject({ jobName: 'Quick Success', target: ended.target });
    expect(simulator.job(rerun.aftJobId!)?.params).toEqual({
      dest: '/try',
      count: 2,
      dryRun: true,
    });
    expect(simulator.stats().launchesReceived).toBe(before + 2);
  });

  it('refuses an ad-hoc run with an empty target or non-flat params, and sends nothing', async () => {
    const before = simulator.stats().launchesReceived;
    const input = ipcRequests['runs.startAdHoc'].input;
    const emptyTarget = input.safeParse({
      serverId,
      target: { kind: 'filePath', value: '   ' },
      params: {},
    });
    expect(emptyTarget.success).toBe(false);
    expect(emptyTarget.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual(
      [['target.value', 'Enter the script name, ID or file path.']],
    );
    const nested = {
      serverId,
      target: { kind: 'scriptName', value: 'x' },
      params: { a: { b: 1 } },
    };
    expect(input.safeParse(nested).success).toBe(false);
    const tooMany = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`p${i}`, i]));
    expect(input.safeParse({ ...nested, params: tooMany }).success).toBe(false);
    delete tooMany.p200;
    expect(input.safeParse({ ...nested, params: tooMany }).success).toBe(true);

    // The runner checks the target itself too, whoever calls it.
    const refused = await harness.services.runner.startAdHoc(
      serverId,
      { kind: 'scriptName', value: '' },
      { a: 1 },
    );
    expect(refused).toEqual({
      ok: false,
      fieldErrors: { 'target.value': 'Enter the script name, ID or file path.' },
      message: expect.stringContaining('nothing was sent'),
    });
    expect(simulator.stats().launchesReceived).toBe(before);
    expect((await harness.call('runs.history', { offset: 0, limit: 10 })).total).toBe(0);
  });

  it('runs concurrent jobs independently, even when an observer throws for one of them', async () => {
    harness.quit();
    harness = await openServices(temp.dir, {
      observers: [
        {
          runUpdated: (run) => {
            if (run.jobName === 'Run Quick Failure') throw new Error('tray exploded');
          },
        },
      ],
    });
    const success = await saveJob(harness, 'Quick Success');
    const failure = await saveJob(harness, 'Quick Failure');
    const broken = await saveJob(harness, 'Short Job');
    simulator.injectFault({
      endpoint: 'launch',
      script: 'Short Job',
      fault: { kind: 'http-status', status: 400, body: '{"error":"bad params"}' },
    });
    const runs = await Promise.all([
      startRun(harness, success),
      startRun(harness, failure),
      startRun(harness, broken),
      startRun(harness, success),
      startRun(harness, failure),
    ]);
    expect(runs[2]?.state).toBe('not-started');
    await Promise.all([
      waitForState(harness, runs[0]!.id, 'succeeded'),
      waitForState(harness, runs[1]!.id, 'failed'),
      waitForState(harness, runs[3]!.id, 'succeeded'),
      waitForState(harness, runs[4]!.id, 'failed'),
    ]);
    expect(harness.recorded.logs.some((line) => line.includes('tray exploded'))).toBe(true);
    const { total } = await harness.call('runs.history', { offset: 0, limit: 200 });
    expect(total).toBe(5);
  });

  it('follows a run again after a restart, from the same files', async () => {
    const job = await saveJob(harness, 'Resumable Job');
    const run = await startRun(harness, job);
    expect(['queued', 'running']).toContain(run.state);
    harness.quit();

    harness = await openServices(temp.dir);
    const reopened = await harness.call('runs.get', { id: run.id });
    expect(['queued', 'running']).toContain(reopened.state);
    await harness.services.resume();
    const ended = await waitForState(harness, run.id, 'succeeded');
    expect(ended.aftJobId).toBe(run.aftJobId);
  });

  it('marks a run that was still being launched when the app quit as uncertain', async () => {
    const job = await saveJob(harness, 'Quick Success');
    simulator.injectFault({ endpoint: 'launch', fault: { kind: 'delay', ms: 400 }, times: 1 });
    const pending = harness.call('runs.start', {
      jobId: job.id,
      values: { destination: '/a', password: SECRET },
    });
    const firstRunEvent = () => harness.recorded.events.find((e) => e.name === 'runUpdated');
    await vi.waitFor(() => expect(firstRunEvent()).toBeDefined());
    const launching = firstRunEvent()!.payload as Run;
    expect(launching.state).toBe('launching');
    harness.services.flush();

    const second = await openServices(temp.dir);
    await second.services.resume();
    const recovered = await second.call('runs.get', { id: launching.id });
    expect(recovered.state).toBe('uncertain');
    expect(recovered.error?.message).toMatch(/closed while this job was being started/);
    second.quit();
    await pending;
  });
});
