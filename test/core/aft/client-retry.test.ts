// The client's automatic launch retry, against the simulator resetting connections before the
// TLS handshake (so no request can have been written and a retry cannot start a second job).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AftClient } from '../../../app/core/aft/client.ts';
import { createAftClient } from '../../../app/core/aft/client.ts';
import { aftErrorFrom } from '../../helpers/aft-error.ts';
import type { JobTarget } from '../../../app/shared/job.ts';
import { pinnedEndpoint, startTestSimulator, type TestSimulator } from '../../helpers/simulator.ts';

const quick: JobTarget = { kind: 'scriptName', value: 'Quick Success' };
const RETRY_DELAYS_MS = [10, 10];

let sim: TestSimulator;
let client: AftClient | undefined;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterEach(() => {
  client?.close();
  client = undefined;
  sim.clearFaults();
});
afterAll(async () => {
  await sim.cleanup();
});

describe('launch retry when the connection is reset before anything was sent', () => {
  it('succeeds after one automatic retry (default delays) and creates exactly one job', async () => {
    client = createAftClient();
    sim.injectFault({ endpoint: 'any', fault: { kind: 'reset-on-connect' }, times: 1 });
    const before = sim.stats();
    const job = await client.launch(pinnedEndpoint(sim), quick, {});
    const after = sim.stats();
    expect(sim.job(job.id)).toMatchObject({ scriptName: 'Quick Success' });
    expect(after.connectionsReset - before.connectionsReset).toBe(1);
    expect(after.jobsCreated - before.jobsCreated).toBe(1);
  });

  it('gives up after its retries as unreachable, saying no request reached the server', async () => {
    client = createAftClient({ launchRetryDelaysMs: RETRY_DELAYS_MS });
    sim.injectFault({
      endpoint: 'any',
      fault: { kind: 'reset-on-connect' },
      times: RETRY_DELAYS_MS.length + 3,
    });
    const before = sim.stats();
    const error = await aftErrorFrom(client.launch(pinnedEndpoint(sim), quick, {}));
    expect(error.code).toBe('unreachable');
    expect(error.requestMayHaveReachedServer).toBe(false);
    expect(error.message).toContain('closed before anything was sent');
    expect(error.message).not.toContain(sim.apiKey);
    const after = sim.stats();
    // The first try and each retry, then no more.
    expect(after.connectionsReset - before.connectionsReset).toBe(1 + RETRY_DELAYS_MS.length);
    expect(after.launchesReceived).toBe(before.launchesReceived);
    expect(after.jobsCreated).toBe(before.jobsCreated);
  });
});
