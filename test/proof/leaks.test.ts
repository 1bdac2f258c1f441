// Proof: the API key and secret parameter values leave main only where the person asks for
// them. A scripted session (add a server, save a job with a secret parameter, run, fail, get
// refused, re-run, export, import, copy as command) goes through the real bridge handlers;
// then every byte the app wrote (settings, history, their copies and backups), logged (its log
// port and the console), answered over IPC (values and errors), emitted to the window or gave
// the tray and notifier is searched for each secret, raw, base64 (at every byte alignment),
// URL-encoded and JSON-escaped: found nowhere.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createTrustedSenderCheck,
  registerIpcHandlers,
  type IpcMainLike,
  type IpcSenderEvent,
} from '../../app/core/ipc/validated-ipc.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../app/main/window.ts';
import {
  requestChannel,
  type IpcInput,
  type IpcOutput,
  type IpcRequestName,
  type IpcResult,
} from '../../app/shared/ipc-contract.ts';
import { makeTempDir, openServices, readEverything } from '../core/main-services-harness.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';
import { printFigures } from './figures.ts';

const SECRET_VALUE = 'S3cret Value/+=&?#ü';
const PRESET_SECRET = 'preset-only-secret-9';
const WRONG_KEY = 'Wr0ng-Key_0123456789abcdef';

/** The forms a secret could take in text: raw, JSON-escaped, URL-encoded, base64 at each alignment. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
  ]);
  for (let offset = 0; offset < 3; offset += 1) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = padded.toString(encoding).replace(/=+$/, '');
      // Drop the characters that mix in the padding before, and those the next bytes would change.
      const start = Math.ceil((offset * 4) / 3);
      const stableEnd = Math.floor(((offset + bytes.length) * 4) / 3) - 1;
      const stable = text.slice(start, stableEnd);
      if (stable.length >= 8) forms.add(stable);
    }
  }
  return [...forms];
}

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(() => sim.cleanup());

describe('leaks', () => {
  it('the key and secret values appear in nothing the app writes, logs or sends to the window', async () => {
    const consoleLines: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(
          args
            .map((arg) =>
              arg instanceof Error
                ? `${arg.stack}`
                : typeof arg === 'string'
                  ? arg
                  : JSON.stringify(arg),
            )
            .join(' '),
        );
      }),
    );

    const temp = makeTempDir();
    const harness = await openServices(temp.dir);
    const listeners = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = {
      handle: (channel, listener) => void listeners.set(channel, listener),
      removeHandler: (channel) => void listeners.delete(channel),
    };
    const frame = { url: APP_ENTRY_URL };
    const window: IpcSenderEvent = { sender: { id: 1, mainFrame: frame }, senderFrame: frame };
    registerIpcHandlers(
      ipcMain,
      harness.services.handlers,
      createTrustedSenderCheck({
        trustedWebContentsIds: () => new Set([1]),
        appOrigin: APP_ORIGIN,
      }),
    );
    const answers: unknown[] = [];
    /** One call as the window makes it; every answer (value or error) is kept for the search. */
    async function ask<N extends IpcRequestName>(
      name: N,
      input: IpcInput<N> | unknown,
    ): Promise<IpcOutput<N>> {
      const answer = (await listeners.get(requestChannel(name))!(window, input)) as IpcResult<
        IpcOutput<N>
      >;
      answers.push({ name, answer });
      if (!answer.ok) throw Object.assign(new Error(answer.error.message), { answer });
      return answer.value;
    }
    const attempt = <N extends IpcRequestName>(name: N, input: IpcInput<N> | unknown) =>
      ask(name, input).then(
        () => true,
        () => false,
      );
    async function waitForState(runId: string, states: string[]): Promise<string> {
      for (let i = 0; i < 300; i += 1) {
        const run = await ask('runs.get', { id: runId });
        if (states.includes(run.state)) return run.state;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`run ${runId} never reached ${states.join('/')}`);
    }

    // --- The scripted session. ---
    await ask('servers.probe', { baseUrl: sim.url });
    // Invalid calls that carry the key: the validation errors must not echo it back.
    await attempt('servers.add', {
      name: 'x',
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      confirmedFingerprint256: 'nope',
    });
    await attempt('servers.setKey', { id: 'missing', apiKey: sim.apiKey, extra: sim.apiKey });
    const server = await ask('servers.add', {
      name: 'Simulator',
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      confirmedFingerprint256: sim.fingerprint256,
    });
    await ask('servers.test', { id: server.id });
    const jobInput = {
      name: 'Backup',
      serverId: server.id,
      target: { kind: 'scriptName', value: 'Quick Success' },
      params: [
        { name: 'dest', type: 'text', required: true },
        { name: 'token', type: 'secret', required: true },
      ],
      favourite: true,
      showInTray: true,
      notify: 'always',
      confirmBeforeRun: false,
      tags: [],
      presets: [{ name: 'with secret', values: { dest: '/p', token: PRESET_SECRET } }],
    } as const;
    const job = await ask('jobs.save', jobInput);
    const failing = await ask('jobs.save', {
      ...jobInput,
      name: 'Failing',
      target: { kind: 'scriptName', value: 'Quick Failure' },
      presets: [],
    });
    await ask('jobs.savePreset', {
      id: job.id,
      preset: { name: 'p2', values: { token: PRESET_SECRET } },
    });

    const ok = await ask('runs.start', {
      jobId: job.id,
      values: { dest: '/srv', token: SECRET_VALUE },
    });
    if (!ok.ok) throw new Error(ok.message);
    expect(await waitForState(ok.run.id, ['succeeded'])).toBe('succeeded');

    const failed = await ask('runs.start', {
      jobId: failing.id,
      values: { dest: '/srv', token: SECRET_VALUE },
    });
    if (!failed.ok) throw new Error(failed.message);
    expect(await waitForState(failed.run.id, ['failed'])).toBe('failed');

    // A server that echoes the key and the secret back in its error and in its job info.
    sim.injectFault({
      endpoint: 'launch',
      fault: {
        kind: 'http-status',
        status: 400,
        body: JSON.stringify({
          error: `bad request from key ${sim.apiKey} with token ${SECRET_VALUE}`,
        }),
        contentType: 'application/json',
      },
      times: 1,
    });
    const rejected = await ask('runs.start', {
      jobId: job.id,
      values: { dest: '/srv', token: SECRET_VALUE },
    });
    expect(rejected.ok && rejected.run.state).toBe('not-started');
    sim.injectFault({
      endpoint: 'launch',
      fault: { kind: 'http-status', status: 500, body: `oops ${sim.apiKey}` },
      times: 1,
    });
    const uncertain = await ask('runs.start', { jobId: job.id, values: { dest: '/srv' } });
    expect(uncertain.ok && uncertain.run.state).toBe('uncertain');
    sim.injectFault({
      endpoint: 'status',
      fault: { kind: 'status-refuses-key', status: 403 },
      times: 1,
    });
    const unavailable = await ask('runs.start', { jobId: job.id, values: { dest: '/srv' } });
    if (!unavailable.ok) throw new Error(unavailable.message);
    expect(await waitForState(unavailable.run.id, ['status-unavailable'])).toBe(
      'status-unavailable',
    );

    // Re-run: the secret comes from the vault, never from the run.
    const rerun = await ask('runs.rerun', { id: ok.run.id });
    if (!rerun.ok) throw new Error(rerun.message);
    expect(await waitForState(rerun.run.id, ['succeeded'])).toBe('succeeded');

    // A wrong key, refused; a connection test with it; then the right one again.
    await ask('servers.setKey', { id: server.id, apiKey: WRONG_KEY });
    await ask('servers.test', { id: server.id });
    const refused = await ask('runs.start', { jobId: job.id, values: { dest: '/srv' } });
    expect(refused.ok && refused.run.error?.code).toBe('auth');
    await ask('servers.setKey', { id: server.id, apiKey: sim.apiKey });

    const exported = await ask('jobs.export', {});
    await ask('jobs.import', { json: exported.json });
    await ask('jobs.duplicate', { id: job.id });
    const commands: string[] = [];
    for (const format of ['curl', 'powershell', 'aft'] as const) {
      const { text } = await ask('jobs.copyAsCommand', {
        id: job.id,
        values: { dest: '/srv', token: SECRET_VALUE },
        format,
        includeKey: false,
      });
      commands.push(text);
      await ask('jobs.copyAsCommand', {
        id: job.id,
        values: { dest: '/srv' },
        format,
        includeKey: false,
      });
    }
    await ask('jobs.list', {});
    await ask('jobs.get', { id: job.id });
    await ask('servers.list', {});
    await ask('runs.history', { offset: 0, limit: 1000 });
    await ask('settings.update', { theme: 'dark' });
    await ask('app.status', {});
    // An unexpected failure inside a handler is logged (to the console, by the bridge).
    expect(await attempt('servers.startDemo', {})).toBe(false);
    harness.quit();
    for (const spy of spies) spy.mockRestore();

    // --- The search. ---
    const places: Record<string, string> = {
      'files on disk': readEverything(temp.dir),
      'IPC answers and errors': JSON.stringify(answers),
      'window events': JSON.stringify(harness.recorded.events),
      'tray and notifier': JSON.stringify(harness.recorded.observed),
      'log port': harness.recorded.logs.join('\n'),
      console: consoleLines.join('\n'),
      export: exported.json,
      'copy as command': commands.join('\n'),
    };
    const secrets: Record<string, string> = {
      'API key': sim.apiKey,
      'wrong API key': WRONG_KEY,
      'secret parameter value': SECRET_VALUE,
      'secret in a preset': PRESET_SECRET,
    };
    const found: string[] = [];
    const rows = Object.entries(places).map(([place, text]) => {
      const row: Record<string, string | number> = { place, bytes: text.length };
      for (const [what, secret] of Object.entries(secrets)) {
        const hits = encodedForms(secret).filter((form) => text.includes(form));
        if (hits.length > 0) found.push(`${what} in ${place} (${hits.length} forms)`);
        row[what] = hits.length === 0 ? 'absent' : `FOUND ${hits.length}`;
      }
      return row;
    });
    printFigures('leaks: searched for raw, JSON, URL-encoded and base64 forms', rows);
    expect(found).toEqual([]);

    // The search can see: each place holds what it should, and a secret, where asked for, is found.
    expect(places['files on disk']).toContain('fake-cipher:');
    expect(places['window events']).toContain('runUpdated');
    expect(commands.join('\n')).toMatch(/X-API-Key/);
    for (const place of [
      'files on disk',
      'IPC answers and errors',
      'tray and notifier',
      'console',
      'export',
    ])
      expect(places[place]?.length).toBeGreaterThan(0);
    const reopened = await openServices(temp.dir);
    const withKey = await reopened.call('jobs.copyAsCommand', {
      id: job.id,
      values: { dest: '/srv' },
      format: 'curl',
      includeKey: true,
    });
    // Asked for the key, main copies the real command itself: the answer still has none.
    expect(withKey.copiedWithKey).toBe(true);
    for (const secret of [sim.apiKey, SECRET_VALUE])
      expect(encodedForms(secret).some((form) => withKey.text.includes(form))).toBe(false);
    // The search does find them where they are meant to be: on the clipboard.
    const copied = reopened.recorded.clipboard.at(-1) ?? '';
    expect(encodedForms(sim.apiKey).some((form) => copied.includes(form))).toBe(true);
    expect(encodedForms(SECRET_VALUE).some((form) => copied.includes(form))).toBe(true);
    reopened.quit();
    temp.remove();
  });
});
