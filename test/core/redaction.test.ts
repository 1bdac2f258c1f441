// The API key and secret parameter values must appear in no byte the services write (settings,
// history, their backups), send to the window (answers and events), give the tray/notifier,
// log, export, or put in a copied command unless the person asked for the key.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../app/shared/model.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';
import {
  addSimulatorServer,
  makeTempDir,
  openServices,
  plainJobOptions,
  readEverything,
} from './main-services-harness.ts';

let simulator: TestSimulator;
beforeAll(async () => {
  simulator = await startTestSimulator();
});
afterAll(() => simulator.cleanup());

const SECRET_VALUE = 'Sup3r-Secret-Parameter!';
const WRONG_KEY = 'wrong-key-Zq81x7Lm';

describe('secrets appear nowhere', () => {
  it('in files, answers, events, observers, logs, exports and commands', async () => {
    const temp = makeTempDir();
    const harness = await openServices(temp.dir);
    const answers: unknown[] = [];
    const call = async <T>(promise: Promise<T>): Promise<T> => {
      try {
        const answer = await promise;
        answers.push(answer);
        return answer;
      } catch (error) {
        answers.push({ message: (error as Error).message, stack: (error as Error).stack });
        throw error;
      }
    };

    await call(harness.call('servers.probe', { baseUrl: simulator.url }));
    const server = await call(addSimulatorServer(harness, simulator));
    const job = await call(
      harness.call('jobs.save', {
        name: 'Backup',
        serverId: server.id,
        target: { kind: 'scriptName', value: 'Quick Success' },
        params: [
          { name: 'token', type: 'secret', required: true },
          { name: 'dest', type: 'text', required: false },
        ],
        ...plainJobOptions(),
        presets: [{ name: 'with token', values: { token: SECRET_VALUE, dest: '/a' } }],
      }),
    );
    await call(
      harness.call('jobs.savePreset', {
        id: job.id,
        preset: { name: 'p2', values: { token: SECRET_VALUE } },
      }),
    );

    const ok = await call(
      harness.call('runs.start', { jobId: job.id, values: { token: SECRET_VALUE, dest: '/x' } }),
    );
    if (!ok.ok) throw new Error('run refused');
    await vi.waitFor(
      async () =>
        expect((await harness.call('runs.get', { id: ok.run.id })).state).toBe('succeeded'),
      { timeout: 5000 },
    );

    // A refused status read, a refused key, and a connection test with that key.
    simulator.injectFault({
      endpoint: 'status',
      fault: { kind: 'status-refuses-key', status: 401 },
      times: 1,
    });
    const unavailable = await call(harness.call('runs.start', { jobId: job.id, values: {} }));
    if (!unavailable.ok) throw new Error('run refused');
    await vi.waitFor(
      async () =>
        expect((await harness.call('runs.get', { id: unavailable.run.id })).state).toBe(
          'status-unavailable',
        ),
      { timeout: 5000 },
    );
    simulator.injectFault({
      endpoint: 'launch',
      fault: {
        kind: 'http-status',
        status: 400,
        body: `{"error":"bad key ${simulator.apiKey} and ${SECRET_VALUE}"}`,
      },
      times: 1,
    });
    const rejected = await call(harness.call('runs.start', { jobId: job.id, values: {} }));
    expect(rejected.ok && rejected.run.state).toBe('not-started');

    await call(harness.call('servers.setKey', { id: server.id, apiKey: WRONG_KEY }));
    await call(harness.call('servers.test', { id: server.id }));
    const refused = await call(harness.call('runs.start', { jobId: job.id, values: {} }));
    expect(refused.ok && refused.run.error?.code).toBe('auth');
    await call(harness.call('servers.setKey', { id: server.id, apiKey: simulator.apiKey }));

    for (const format of ['curl', 'powershell', 'aft'] as const) {
      await call(
        harness.call('jobs.copyAsCommand', {
          id: job.id,
          values: { token: SECRET_VALUE },
          format,
          includeKey: false,
        }),
      );
    }
    await call(harness.call('jobs.export', {}));
    await call(harness.call('jobs.list', {}));
    await call(harness.call('servers.list', {}));
    await call(harness.call('runs.history', { offset: 0, limit: 100 }));
    await call(harness.call('app.status', {}));
    harness.quit();

    const everything = [
      readEverything(temp.dir),
      JSON.stringify(answers),
      JSON.stringify(harness.recorded.events),
      JSON.stringify(harness.recorded.observed),
      harness.recorded.logs.join('\n'),
    ].join('\n');
    for (const secret of [simulator.apiKey, WRONG_KEY, SECRET_VALUE]) {
      expect(everything.includes(secret), `found ${secret.slice(0, 4)}…`).toBe(false);
    }
    // The search itself works: the encrypted forms are there, and asking for the key shows it.
    expect(readEverything(temp.dir)).toContain('fake-cipher:');
    const reopened = await openServices(temp.dir);
    const withKey = await reopened.call('jobs.copyAsCommand', {
      id: job.id,
      values: {},
      format: 'curl',
      includeKey: true,
    });
    // The real command goes to the clipboard from main; the window gets placeholders only.
    expect(withKey.copiedWithKey).toBe(true);
    expect(withKey.text).not.toContain(simulator.apiKey);
    expect(withKey.text).not.toContain(SECRET_VALUE);
    expect(reopened.recorded.clipboard.at(-1)).toContain(simulator.apiKey);
    expect(reopened.recorded.clipboard.at(-1)).toContain(SECRET_VALUE);
    const runs = (await reopened.call('runs.history', { offset: 0, limit: 10 })).runs as Run[];
    expect(runs.every((run) => run.values.token === '••••••')).toBe(true);
    reopened.quit();
    temp.remove();
  });
});
