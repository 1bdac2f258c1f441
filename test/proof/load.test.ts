// Proof: 200 runs started at once and followed to their end against the simulator, through the
// real services: every run recorded exactly once (and still there after a restart), one job
// per run on the server, and the connections and status reads in flight stay bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAftClient, DEFAULT_MAX_SOCKETS_PER_SERVER } from '../../app/core/aft/client.ts';
import { createJobFollower } from '../../app/core/aft/follower.ts';
import { systemClock } from '../../app/core/clock.ts';
import type { RunFollowRef } from '../../app/core/runs/job-runner.ts';
import { isTerminal } from '../../app/shared/job.ts';
import type { Run } from '../../app/shared/model.ts';
import {
  addSimulatorServer,
  makeTempDir,
  openServices,
  plainJobOptions,
} from '../core/main-services-harness.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';
import { printFigures } from './figures.ts';

const RUNS = 200;
const MAX_STATUS_READS_IN_FLIGHT = 4;

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.cleanup());

describe('load', () => {
  it(`${RUNS} runs at once: all recorded once, sockets and requests in flight bounded`, async () => {
    const temp = makeTempDir();
    const client = createAftClient({ connectTimeoutMs: 5000, responseTimeoutMs: 10_000 });
    const follower = createJobFollower<RunFollowRef>({
      clock: systemClock,
      readStatus: (ref) => client.getJob(ref.endpoint, ref.jobId),
      maxInFlight: MAX_STATUS_READS_IN_FLIGHT,
      policy: { initialDelayMs: 20, factor: 1.5, maxDelayMs: 150, jitter: 0.2 },
    });
    const harness = await openServices(temp.dir, { client, follower });
    const server = await addSimulatorServer(harness, sim);
    const job = await harness.call('jobs.save', {
      name: 'Quick',
      serverId: server.id,
      target: { kind: 'scriptName', value: 'Quick Success' },
      params: [{ name: 'n', type: 'number', required: true }],
      ...plainJobOptions(),
      notify: 'never',
    });
    const before = sim.stats();

    // Node warns when listeners pile up on one socket (see the report on queued requests).
    let listenerWarnings = 0;
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') listenerWarnings += 1;
    };
    process.on('warning', onWarning);
    let maxInFlight = 0;
    let maxFollowed = 0;
    const sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, follower.inFlight());
      maxFollowed = Math.max(maxFollowed, follower.activeCount());
    }, 2);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: RUNS }, (_, n) =>
        harness.call('runs.start', { jobId: job.id, values: { n } }),
      ),
    );
    const launchedMs = performance.now() - started;
    const runIds = answers.map((answer) => {
      if (!answer.ok) throw new Error(answer.message);
      return answer.run.id;
    });

    let runs: Run[] = [];
    for (let i = 0; i < 1000; i += 1) {
      runs = (await harness.call('runs.history', { offset: 0, limit: 1000 })).runs;
      if (runs.length === RUNS && runs.every((run) => isTerminal(run.state as never))) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const endedMs = performance.now() - started;
    clearInterval(sampler);
    process.off('warning', onWarning);
    const after = sim.stats();

    // Every run recorded once, each with its own job on the server, each followed to success.
    expect(runs).toHaveLength(RUNS);
    expect(new Set(runs.map((run) => run.id))).toEqual(new Set(runIds));
    expect(runs.map((run) => run.state)).toEqual(Array(RUNS).fill('succeeded'));
    const aftJobIds = runs.map((run) => run.aftJobId);
    expect(new Set(aftJobIds).size).toBe(RUNS);
    const serverJobIds = new Set(sim.jobs().map((simulated) => simulated.id));
    for (const id of aftJobIds) expect(serverJobIds.has(id!)).toBe(true);
    expect(after.jobsCreated - before.jobsCreated).toBe(RUNS);
    expect(after.launchesReceived - before.launchesReceived).toBe(RUNS);
    // Each value sent reached its own job: none swapped, none duplicated.
    expect(new Set(runs.map((run) => run.values.n)).size).toBe(RUNS);

    // Bounded: the client's sockets per server, the follower's reads in flight.
    expect(after.maxOpenSockets).toBeLessThanOrEqual(DEFAULT_MAX_SOCKETS_PER_SERVER + 1);
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(MAX_STATUS_READS_IN_FLIGHT);
    expect(follower.activeCount()).toBe(0);
    expect(follower.inFlight()).toBe(0);

    const runEvents = harness.recorded.events.filter((event) => event.name === 'runUpdated');
    harness.quit();
    client.close();

    // And all of it is still there after a restart.
    const reopened = await openServices(temp.dir);
    const kept = await reopened.call('runs.history', { offset: 0, limit: 1000 });
    expect(kept.total).toBe(RUNS);
    expect(kept.runs.map((run) => run.state)).toEqual(Array(RUNS).fill('succeeded'));
    reopened.quit();
    temp.remove();

    const statusReads = after.statusRequests - before.statusRequests;
    printFigures(`load: ${RUNS} runs at once`, [
      {
        runs: RUNS,
        recorded: runs.length,
        jobsCreated: after.jobsCreated - before.jobsCreated,
        POSTs: after.launchesReceived - before.launchesReceived,
        launchedMs: Math.round(launchedMs),
        allEndedMs: Math.round(endedMs),
        maxOpenSockets: after.maxOpenSockets,
        connections: after.connections - before.connections,
        maxReadsInFlight: maxInFlight,
        maxFollowed,
        statusReads,
        readsPerRun: Math.round((statusReads / RUNS) * 10) / 10,
        runEvents: runEvents.length,
        keptAfterRestart: kept.total,
        socketListenerWarnings: listenerWarnings,
      },
    ]);
  });
});
