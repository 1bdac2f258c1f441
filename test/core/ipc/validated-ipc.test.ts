import { describe, expect, it, vi } from 'vitest';
import { AftError } from '../../../app/core/aft/errors.ts';
import {
  GENERIC_ERROR_MESSAGE,
  createTrustedSenderCheck,
  registerIpcHandlers,
  type IpcHandlers,
  type IpcMainLike,
  type IpcSenderEvent,
} from '../../../app/core/ipc/validated-ipc.ts';
import { ServiceError } from '../../../app/core/service-error.ts';
import {
  ipcRequests,
  requestChannel,
  type IpcInput,
  type IpcRequestName,
} from '../../../app/shared/ipc-contract.ts';

const FINGERPRINT = Array.from({ length: 32 }, () => 'AB').join(':');

/** A valid input for every request: adding a request to the contract makes this fail to compile. */
const VALID_INPUTS: { [N in IpcRequestName]: IpcInput<N> } = {
  'servers.list': {},
  'servers.probe': { baseUrl: 'https://127.0.0.1:44399' },
  'servers.add': {
    name: 'A',
    baseUrl: 'https://h',
    apiKey: 'k',
    confirmedFingerprint256: FINGERPRINT,
  },
  'servers.rename': { id: 's', name: 'B' },
  'servers.repin': { id: 's', confirmedFingerprint256: FINGERPRINT },
  'servers.setKey': { id: 's', apiKey: 'k' },
  'servers.test': { id: 's' },
  'servers.remove': { id: 's' },
  'servers.startDemo': {},
  'servers.openWebUi': { id: 's' },
  'jobs.list': {},
  'jobs.get': { id: 'j' },
  'jobs.save': { name: 'J', serverId: 's', target: { kind: 'scriptName', value: 'x' } },
  'jobs.duplicate': { id: 'j' },
  'jobs.delete': { id: 'j' },
  'jobs.reorder': { ids: ['a', 'b'] },
  'jobs.savePreset': { id: 'j', preset: { name: 'p', values: { a: 1 } } },
  'jobs.deletePreset': { id: 'j', name: 'p' },
  'jobs.export': {},
  'jobs.import': { json: '{}' },
  'jobs.copyAsCommand': { id: 'j', values: {}, format: 'curl', includeKey: false },
  'runs.start': { jobId: 'j', values: { a: 'b' } },
  'runs.startAdHoc': {
    serverId: 's',
    target: { kind: 'filePath', value: '/scripts/try.syncjs' },
    params: { a: 'b', n: 2, flag: true },
  },
  'runs.rerun': { id: 'r' },
  'runs.get': { id: 'r' },
  'runs.history': {},
  'runs.clearHistory': {},
  'settings.get': {},
  'settings.update': { theme: 'dark' },
  'app.status': {},
  'app.copyText': { text: 'curl …' },
};

/** One way to break each request's input, beyond the generic ones every request gets. */
const INVALID_INPUTS: { [N in IpcRequestName]?: unknown } = {
  'servers.probe': { baseUrl: '' },
  'servers.add': { name: 'A', baseUrl: 'https://h', apiKey: 'k', confirmedFingerprint256: 'abc' },
  'servers.repin': { id: 's', confirmedFingerprint256: 'AB:CD' },
  'servers.setKey': { id: 's', apiKey: '   ' },
  'jobs.save': { name: 'J', serverId: 's', target: { kind: 'command', value: 'rm -rf /' } },
  'jobs.reorder': { ids: 'a' },
  'jobs.copyAsCommand': { id: 'j', values: {}, format: 'bash', includeKey: false },
  'runs.start': { jobId: 'j', values: { a: { nested: true } } },
  'runs.startAdHoc': { serverId: 's', target: { kind: 'scriptName', value: '  ' }, params: {} },
  'runs.history': { limit: 5000 },
  'settings.update': { historyLimit: 5 },
  'app.copyText': { text: 42 },
};

function fakeIpcMain() {
  const listeners = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (listeners.has(channel)) throw new Error(`second handler for ${channel}`);
      listeners.set(channel, listener);
    },
    removeHandler: (channel) => listeners.delete(channel),
  };
  return { ipcMain, listeners };
}

const mainFrame = { url: 'app://aft-launcher/index.html' };
const trustedEvent: IpcSenderEvent = { sender: { id: 1, mainFrame }, senderFrame: mainFrame };

function setUp(override: Partial<IpcHandlers> = {}) {
  const { ipcMain, listeners } = fakeIpcMain();
  const calls: { name: string; input: unknown }[] = [];
  const handlers = Object.fromEntries(
    (Object.keys(ipcRequests) as IpcRequestName[]).map((name) => [
      name,
      override[name] ??
        (async (input: unknown) => {
          calls.push({ name, input });
          return `answer of ${name}`;
        }),
    ]),
  ) as unknown as IpcHandlers;
  const logs: string[] = [];
  const check = createTrustedSenderCheck({
    trustedWebContentsIds: () => new Set([1]),
    appOrigin: 'app://aft-launcher',
  });
  const remove = registerIpcHandlers(ipcMain, handlers, check, {
    log: (line) => logs.push(line),
    redact: (text) => text.split('sekret-api-key').join('[redacted]'),
  });
  const invoke = (name: IpcRequestName, event: IpcSenderEvent, ...args: unknown[]) =>
    listeners.get(requestChannel(name))!(event, ...args);
  return { listeners, calls, logs, invoke, remove };
}

const names = Object.keys(ipcRequests) as IpcRequestName[];

describe('registerIpcHandlers', () => {
  it('registers exactly one channel per contract request, and removes them all', () => {
    const { listeners, remove } = setUp();
    expect([...listeners.keys()].sort()).toEqual(names.map(requestChannel).sort());
    remove();
    expect(listeners.size).toBe(0);
  });

  it.each(names)('%s: a valid input reaches the handler, parsed', async (name) => {
    const { invoke, calls } = setUp();
    const answer = await invoke(name, trustedEvent, VALID_INPUTS[name]);
    expect(answer).toEqual({ ok: true, value: `answer of ${name}` });
    expect(calls).toEqual([{ name, input: ipcRequests[name].input.parse(VALID_INPUTS[name]) }]);
  });

  it.each(names)(
    '%s: malformed inputs are answered invalid-input, the handler never called',
    async (name) => {
      const { invoke, calls } = setUp();
      const malformed: unknown[][] = [
        [],
        [VALID_INPUTS[name], VALID_INPUTS[name]],
        [undefined],
        [null],
        [42],
        ['text'],
        [[VALID_INPUTS[name]]],
        [{ ...VALID_INPUTS[name], unexpected: 1 }],
        [{ ...VALID_INPUTS[name], __proto__: { polluted: true }, constructor: 'x' }],
      ];
      if (INVALID_INPUTS[name] !== undefined) malformed.push([INVALID_INPUTS[name]]);
      for (const args of malformed) {
        const answer = (await invoke(name, trustedEvent, ...args)) as {
          ok: boolean;
          error: { code: string; fields?: object };
        };
        expect(answer.ok, `${name} with ${JSON.stringify(args)}`).toBe(false);
        expect(answer.error.code).toBe('invalid-input');
        expect(answer.error.fields).toBeDefined();
      }
      expect(calls).toEqual([]);
    },
  );

  it('names the offending fields', async () => {
    const { invoke } = setUp();
    const answer = await invoke('servers.add', trustedEvent, {
      name: '',
      baseUrl: 'https://h',
      apiKey: 'k',
      confirmedFingerprint256: 'nope',
    });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        fields: {
          name: 'Give the server a name.',
          confirmedFingerprint256: 'Not a SHA-256 fingerprint.',
        },
      },
    });
  });

  it.each(names)('%s: refuses untrusted senders before looking at the input', async (name) => {
    const { invoke, calls } = setUp();
    const subFrame = { url: 'app://aft-launcher/index.html' };
    const untrusted: IpcSenderEvent[] = [
      { sender: { id: 2, mainFrame }, senderFrame: mainFrame },
      { sender: { id: 1, mainFrame }, senderFrame: subFrame },
      { sender: { id: 1, mainFrame }, senderFrame: null },
      { sender: { id: 1, mainFrame: { url: 'https://evil.example/' } }, senderFrame: null },
    ];
    const foreign = { url: 'https://evil.example/app' };
    untrusted.push({ sender: { id: 1, mainFrame: foreign }, senderFrame: foreign });
    for (const event of untrusted) {
      expect(await invoke(name, event, VALID_INPUTS[name])).toMatchObject({
        ok: false,
        error: { code: 'forbidden-sender' },
      });
    }
    expect(calls).toEqual([]);
  });

  it('passes service and AFT! errors through with their code, and hides unexpected ones', async () => {
    const { invoke, logs } = setUp({
      'servers.remove': async () => {
        throw new ServiceError('in-use', 'Used by "Nightly".', { id: 'in use' });
      },
      'servers.test': async () => {
        throw new AftError({
          code: 'tls-changed',
          message: 'Changed.',
          details: { origin: 'https://h:1' },
        });
      },
      'servers.list': async () => {
        throw new TypeError('boom with sekret-api-key inside');
      },
    });
    expect(await invoke('servers.remove', trustedEvent, { id: 's' })).toEqual({
      ok: false,
      error: { code: 'in-use', message: 'Used by "Nightly".', fields: { id: 'in use' } },
    });
    expect(await invoke('servers.test', trustedEvent, { id: 's' })).toEqual({
      ok: false,
      error: { code: 'tls-changed', message: 'Changed.', details: { origin: 'https://h:1' } },
    });
    expect(await invoke('servers.list', trustedEvent, {})).toEqual({
      ok: false,
      error: { code: 'internal', message: GENERIC_ERROR_MESSAGE },
    });
    expect(logs.join('\n')).toContain('TypeError: boom with [redacted] inside');
    expect(logs.join('\n')).not.toContain('sekret-api-key');
  });
});

describe('createTrustedSenderCheck', () => {
  const frame = (url: string) => ({ url });

  it('accepts file:// pages when the app loads from files', () => {
    const check = createTrustedSenderCheck({
      trustedWebContentsIds: () => new Set([7]),
      appOrigin: 'file://',
    });
    const page = frame('file:///opt/aft/resources/app.asar/renderer/index.html');
    expect(check({ sender: { id: 7, mainFrame: page }, senderFrame: page })).toBe(true);
    const web = frame('https://example.com/');
    expect(check({ sender: { id: 7, mainFrame: web }, senderFrame: web })).toBe(false);
  });

  it('follows the set of trusted windows as it changes', () => {
    const ids = new Set<number>();
    const check = createTrustedSenderCheck({
      trustedWebContentsIds: () => ids,
      appOrigin: 'http://localhost:5173',
    });
    const page = frame('http://localhost:5173/');
    const event = { sender: { id: 3, mainFrame: page }, senderFrame: page };
    expect(check(event)).toBe(false);
    ids.add(3);
    expect(check(event)).toBe(true);
    const otherPort = frame('http://localhost:5174/');
    expect(check({ sender: { id: 3, mainFrame: otherPort }, senderFrame: otherPort })).toBe(false);
  });

  it('treats a sender check that throws as untrusted', async () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const handler = vi.fn();
    registerIpcHandlers(
      ipcMain,
      Object.fromEntries(names.map((name) => [name, handler])) as unknown as IpcHandlers,
      () => {
        throw new Error('frame destroyed');
      },
    );
    const answer = await listeners.get(requestChannel('jobs.list'))!(trustedEvent, {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden-sender' } });
    expect(handler).not.toHaveBeenCalled();
  });
});
