// Proof: the window is treated as hostile. Every request of the bridge contract, fed thousands
// of generated malformed payloads through the real registerIpcHandlers over the real services,
// is answered with a validation error: no throw, no crash, no service called, no byte of state
// changed. Untrusted senders are refused. Hostile links and command lines start nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  parseCommandLine,
  parseDeepLink,
  resolveLaunchRequest,
  type LaunchRequest,
} from '../../app/core/desktop/deep-link.ts';
import { parseLaunchOptions } from '../../app/core/desktop/launch-options.ts';
import {
  createTrustedSenderCheck,
  registerIpcHandlers,
  type IpcHandlers,
  type IpcMainLike,
  type IpcSenderEvent,
} from '../../app/core/ipc/validated-ipc.ts';
import { installLifecycle } from '../../app/main/lifecycle.ts';
import { APP_ENTRY_URL, APP_ORIGIN } from '../../app/main/window.ts';
import {
  ipcRequests,
  requestChannel,
  type IpcInput,
  type IpcRequestName,
  type IpcResult,
  type NavigateTarget,
} from '../../app/shared/ipc-contract.ts';
import type { SavedJob } from '../../app/shared/model.ts';
import {
  addSimulatorServer,
  makeTempDir,
  openServices,
  plainJobOptions,
  readEverything,
  type ServicesHarness,
  waitForRunEnd,
} from '../core/main-services-harness.ts';
import { createFakeElectron } from '../fakes/electron.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';
import { printFigures, type FigureRow } from './figures.ts';

const SEED = 0x5eed_a417;
const PAYLOADS_PER_REQUEST = 160;
const names = Object.keys(ipcRequests) as IpcRequestName[];

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

function deeplyNested(depth: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let level = 0; level < depth; level += 1) value = level % 2 ? [value] : { a: value };
  return value;
}

/** An object with an OWN `__proto__` (or other) key, as JSON.parse makes it. */
function withOwnKey(base: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** Values of every kind that are wrong for some field: types, sizes, numbers JSON lacks. */
function hostileValue(random: Random): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -0,
    () => Number.MAX_VALUE,
    () => 2 ** 53 + 1,
    () => 1.5,
    () => -1,
    () => true,
    () => '',
    () => ' \t\n',
    () => 'x'.repeat(1 + Math.floor(random() * 3) * 100_000),
    () => '\u0000\u202e<script>alert(1)</script>',
    () => '../../../../etc/passwd',
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ nested: { deeper: true } }),
    () => deeplyNested(500 + Math.floor(random() * 2000), 'leaf'),
    () => JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => new Date(0),
    () => new Map([['a', 1]]),
    () => new Set([1]),
    () => new Uint8Array([1, 2, 3]),
    () => BigInt(7),
  ];
  return pick(random, choices)();
}

/** Whether the contract's schema has this key as optional (a missing value is fine). */
function isOptional(schema: z.ZodType, key: string): boolean {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape?.[key]?.safeParse(undefined).success ?? true;
}

/** One malformed payload built from a valid one, and what was done to it. */
function malformed(
  random: Random,
  name: IpcRequestName,
  valid: Record<string, unknown>,
): { payload: unknown; kind: string; how: string; byConstruction: boolean } {
  const keys = Object.keys(valid);
  const required = keys.filter((key) => !isOptional(ipcRequests[name].input, key));
  const strategy = Math.floor(random() * 6);
  switch (strategy) {
    case 0: {
      // Not a plain object at all. (A Date or Map has no own keys: the contract reads it as an
      // empty object and hands the service a fresh `{}`, so for empty inputs it is a valid call.)
      const payload = pick(random, [
        null,
        undefined,
        NaN,
        Infinity,
        0,
        'string',
        'x'.repeat(200_000),
        true,
        [],
        [valid],
        deeplyNested(3000, valid),
        new Date(),
        new Map(Object.entries(valid)),
      ]);
      const plainObjectLike = payload instanceof Date || payload instanceof Map;
      return {
        payload,
        kind: 'not an object',
        how: 'not an object',
        byConstruction: !plainObjectLike,
      };
    }
    case 1: {
      // A key the contract does not have (every input schema is strict).
      const key = pick(random, [...POLLUTING_KEYS, 'extra', 'isAdmin', 'apiKey', '']);
      return {
        payload: withOwnKey(valid, key, hostileValue(random)),
        kind: 'extra key',
        how: `extra key ${key || '(empty)'}`,
        byConstruction: !keys.includes(key),
      };
    }
    case 2: {
      if (required.length === 0) break;
      const key = pick(random, required);
      const { [key]: _removed, ...rest } = valid;
      return { payload: rest, kind: 'missing key', how: `missing ${key}`, byConstruction: true };
    }
    case 3:
    case 4: {
      if (keys.length === 0) break;
      const key = pick(random, keys);
      return {
        payload: { ...valid, [key]: hostileValue(random) },
        kind: 'wrong value',
        how: `wrong value for ${key}`,
        byConstruction: false,
      };
    }
    default:
      break;
  }
  // An array where the object goes, or the payload nested inside itself.
  return {
    payload: random() < 0.5 ? Object.values(valid) : { ...valid, self: valid },
    kind: 'array or self-nesting',
    how: 'array or self-nesting',
    byConstruction: random() >= 0.5 || keys.length > 0,
  };
}

function fakeIpcMain() {
  const listeners = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void listeners.set(channel, listener),
    removeHandler: (channel) => void listeners.delete(channel),
  };
  return { ipcMain, listeners };
}

const TRUSTED_ID = 1;
const appFrame = { url: APP_ENTRY_URL };
const trusted: IpcSenderEvent = {
  sender: { id: TRUSTED_ID, mainFrame: appFrame },
  senderFrame: appFrame,
};

let sim: TestSimulator;
let temp: ReturnType<typeof makeTempDir>;
let harness: ServicesHarness;
let job: SavedJob;
let serverId: string;
let runId: string;
const serviceCalls: IpcRequestName[] = [];
let invoke: (name: IpcRequestName, event: IpcSenderEvent, ...args: unknown[]) => Promise<unknown>;
const figures: FigureRow[] = [];

/** A valid input for every request, naming things that exist. */
function validInputs(): { [N in IpcRequestName]: IpcInput<N> } {
  return {
    'servers.list': {},
    'servers.probe': { baseUrl: sim.url },
    'servers.add': {
      name: 'Second',
      baseUrl: 'https://127.0.0.1:1',
      apiKey: 'k',
      confirmedFingerprint256: sim.fingerprint256,
    },
    'servers.rename': { id: serverId, name: 'Renamed' },
    'servers.repin': { id: serverId, confirmedFingerprint256: sim.fingerprint256 },
    'servers.setKey': { id: serverId, apiKey: 'another-key' },
    'servers.test': { id: serverId },
    'servers.remove': { id: serverId },
    'servers.startDemo': {},
    'servers.openWebUi': { id: serverId },
    'jobs.list': {},
    'jobs.get': { id: job.id },
    'jobs.save': {
      name: 'Other',
      serverId,
      target: { kind: 'scriptName', value: 'Quick Success' },
      params: [{ name: 'dest', type: 'text', required: true }],
      tags: ['t'],
    },
    'jobs.duplicate': { id: job.id },
    'jobs.delete': { id: job.id },
    'jobs.reorder': { ids: [job.id] },
    'jobs.savePreset': { id: job.id, preset: { name: 'p', values: { dest: '/a' } } },
    'jobs.deletePreset': { id: job.id, name: 'p' },
    'jobs.export': { ids: [job.id] },
    'jobs.import': { json: '{"jobs":[]}' },
    'jobs.copyAsCommand': { id: job.id, values: { dest: '/a' }, format: 'curl', includeKey: false },
    'runs.start': { jobId: job.id, values: { dest: '/a' } },
    'runs.startAdHoc': {
      serverId,
      target: { kind: 'scriptName', value: 'Quick Success' },
      params: { dest: '/a' },
    },
    'runs.rerun': { id: runId },
    'runs.get': { id: runId },
    'runs.history': { offset: 0, limit: 10, state: 'succeeded' },
    'runs.clearHistory': {},
    'settings.get': {},
    'settings.update': { theme: 'dark', historyLimit: 500 },
    'app.status': {},
    'app.copyText': { text: 'copied' },
  };
}

/** Everything the app keeps: its files (settings, history, their copies) byte for byte. */
function state(): string {
  harness.services.flush();
  return readEverything(temp.dir);
}

beforeAll(async () => {
  sim = await startTestSimulator();
  temp = makeTempDir();
  harness = await openServices(temp.dir);
  const server = await addSimulatorServer(harness, sim);
  serverId = server.id;
  job = await harness.call('jobs.save', {
    name: 'Backup',
    serverId,
    target: { kind: 'scriptName', value: 'Quick Success' },
    params: [{ name: 'dest', type: 'text', required: true }],
    ...plainJobOptions(),
  });
  const started = await harness.call('runs.start', { jobId: job.id, values: { dest: '/a' } });
  if (!started.ok) throw new Error(started.message);
  runId = started.run.id;
  // Let the run end, so no state changes on its own during the fuzzing.
  await waitForRunEnd(harness, started.run);

  const counted = Object.fromEntries(
    names.map((name) => [
      name,
      (input: unknown) => {
        serviceCalls.push(name);
        return (harness.services.handlers[name] as (input: unknown) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as IpcHandlers;
  const { ipcMain, listeners } = fakeIpcMain();
  registerIpcHandlers(
    ipcMain,
    counted,
    createTrustedSenderCheck({
      trustedWebContentsIds: () => new Set([TRUSTED_ID]),
      appOrigin: APP_ORIGIN,
    }),
    { log: (line) => harness.recorded.logs.push(line) },
  );
  invoke = async (name, event, ...args) => listeners.get(requestChannel(name))!(event, ...args);
});

afterAll(async () => {
  harness.quit();
  temp.remove();
  await sim.cleanup();
  printFigures('hostile input', figures);
});

describe('hostile input over the bridge', () => {
  it('answers thousands of malformed payloads with invalid-input, calling no service and changing nothing', async () => {
    const random = seededRandom(SEED);
    const valid = validInputs();
    // The valid inputs really are valid (otherwise the mutations below prove little).
    for (const name of names)
      expect(ipcRequests[name].input.safeParse(valid[name]).success).toBe(true);

    const before = state();
    const launchesBefore = sim.stats().launchesReceived;
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    let sent = 0;
    let validByChance = 0;
    const hows = new Map<string, number>();
    const started = performance.now();

    for (const name of names) {
      for (let index = 0; index < PAYLOADS_PER_REQUEST; index += 1) {
        const { payload, kind, how, byConstruction } = malformed(
          random,
          name,
          valid[name] as Record<string, unknown>,
        );
        const schemaAccepts = ipcRequests[name].input.safeParse(payload).success;
        // Mutations invalid by construction must never be accepted by the contract.
        if (byConstruction) expect(schemaAccepts, `${name}: ${how}`).toBe(false);
        if (schemaAccepts) {
          // e.g. a number replacing a parameter value that may be a number: a valid call.
          validByChance += 1;
          continue;
        }
        const answer = (await invoke(name, trusted, payload)) as IpcResult<unknown>;
        expect(answer.ok, `${name}: ${how}`).toBe(false);
        if (!answer.ok) {
          expect(answer.error.code, `${name}: ${how}`).toBe('invalid-input');
          expect(answer.error.message).toMatch(/not valid|takes exactly one argument/);
          // Plain data only: the answer crosses the bridge as a structured clone.
          expect(() => structuredClone(answer)).not.toThrow();
        }
        sent += 1;
        hows.set(kind, (hows.get(kind) ?? 0) + 1);
      }
      // Wrong argument counts.
      for (const args of [[], [valid[name], valid[name]], [valid[name], { extra: true }]]) {
        const answer = (await invoke(name, trusted, ...args)) as IpcResult<unknown>;
        expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
        sent += 1;
      }
    }

    const elapsedMs = performance.now() - started;
    expect(serviceCalls).toEqual([]);
    expect(state()).toBe(before);
    expect(sim.stats().launchesReceived).toBe(launchesBefore);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(sent).toBeGreaterThan(3000);
    expect(validByChance).toBeLessThan(sent / 10);
    figures.push({
      check: 'malformed payloads',
      requests: names.length,
      sent,
      answeredInvalid: sent,
      validByChanceSkipped: validByChance,
      serviceCalls: serviceCalls.length,
      stateChanged: false,
      ms: Math.round(elapsedMs),
    });
    console.log(
      `malformed payloads by kind: ${[...hows].map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    );
  });

  it('refuses untrusted senders: another webContents, a sub-frame, a foreign origin', async () => {
    const valid = validInputs();
    const subFrame = { url: APP_ENTRY_URL };
    const foreignOrigins = [
      'https://evil.example/index.html',
      'app://aft.evil.example/index.html',
      'app://evil/index.html',
      'file:///index.html',
      'http://localhost:5173/',
      'devtools://devtools/bundled/inspector.html',
      'about:blank',
      'not a url',
    ];
    const untrusted: { what: string; event: IpcSenderEvent }[] = [
      {
        what: 'other webContents',
        event: { sender: { id: 2, mainFrame: appFrame }, senderFrame: appFrame },
      },
      {
        what: 'sub-frame',
        event: { sender: { id: TRUSTED_ID, mainFrame: appFrame }, senderFrame: subFrame },
      },
      {
        what: 'no frame',
        event: { sender: { id: TRUSTED_ID, mainFrame: appFrame }, senderFrame: null },
      },
      ...foreignOrigins.map((url) => {
        const frame = { url };
        return {
          what: `origin ${url}`,
          event: { sender: { id: TRUSTED_ID, mainFrame: frame }, senderFrame: frame },
        };
      }),
      {
        what: 'malformed event',
        event: { sender: null, senderFrame: null } as unknown as IpcSenderEvent,
      },
    ];
    const before = state();
    let refused = 0;
    for (const { what, event } of untrusted) {
      for (const name of names) {
        const answer = (await invoke(name, event, valid[name])) as IpcResult<unknown>;
        expect(answer, `${name} from ${what}`).toMatchObject({
          ok: false,
          error: { code: 'forbidden-sender' },
        });
        refused += 1;
      }
    }
    expect(serviceCalls).toEqual([]);
    expect(state()).toBe(before);
    figures.push({ check: 'untrusted senders', requests: names.length, sent: refused, refused });
  });
});

describe('hostile links and command lines', () => {
  const hostileLinks = [
    'aft-launcher://run/Backup?dest=%2Fa&__proto__=x',
    'aft-launcher://run/Backup?constructor=x',
    'aft-launcher://run/Backup?dest=a&dest=b',
    'aft-launcher://run/..%2F..%2Fetc%2Fpasswd',
    'aft-launcher://run/Backup/extra',
    'aft-launcher://run/%00Backup',
    'aft-launcher://run/Back%E2%80%AEup',
    'aft-launcher://run/Backup?dest=%ZZ',
    `aft-launcher://run/Backup?dest=${'a'.repeat(10_000)}`,
    `aft-launcher://run/${'B'.repeat(300)}`,
    `aft-launcher://run/Backup?${Array.from({ length: 200 }, (_, i) => `p${i}=1`).join('&')}`,
    'aft-launcher://run/',
    'aft-launcher://start/Backup',
    'aft-launcher:run/Backup',
    'javascript:alert(1)',
    'https://evil.example/aft-launcher://run/Backup',
    'file:///etc/passwd',
  ];
  const hostileArgv: string[][] = [
    ['electron', '.', '--run'],
    ['electron', '.', '--run', '--inspect=9229'],
    ['electron', '.', '--run=', '--demo'],
    ['electron', '.', '--run', 'a/../../b'],
    ['electron', '.', '--run', '\u0000'],
    ['electron', '.', `--run=${'x'.repeat(1000)}`],
    ['electron', '.', '--run', 'No Such Job'],
    ['electron', '.', 'aft-launcher://run/Backup?__proto__=1'],
    ['electron', '.', '--remote-debugging-port=9222', '--run', '--no-sandbox'],
  ];

  function generatedLinks(count: number): string[] {
    const random = seededRandom(SEED ^ 0x1157);
    const pieces = [
      '%00',
      '%2F',
      '..',
      '?',
      '&',
      '=',
      '#',
      '%E2%80%AE',
      '__proto__',
      'constructor',
      '%',
      '+',
      'Backup',
      'dest',
      '\\',
      '\n',
      ' ',
      '%F0%9F%92%A5',
      'a'.repeat(500),
    ];
    return Array.from({ length: count }, () => {
      let link = 'aft-launcher://run/';
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i += 1) link += pick(random, pieces);
      return link;
    });
  }

  it('start no run and send nothing, whatever reaches the running instance', async () => {
    const electron = createFakeElectron();
    const requests: LaunchRequest[] = [];
    const navigations: NavigateTarget[] = [];
    let shown = 0;
    installLifecycle(electron.app, {
      showWindow: () => (shown += 1),
      allowWindowClose: () => undefined,
      shutdown: async () => undefined,
      onLaunchRequest: (request) => requests.push(request),
      onError: () => undefined,
    });
    const before = state();
    const launchesBefore = sim.stats().launchesReceived;
    const historyBefore = (await harness.call('runs.history', { offset: 0, limit: 1000 })).total;
    const links = [...hostileLinks, ...generatedLinks(2000)];
    for (const link of links) {
      electron.app.emit('open-url', { preventDefault: () => undefined }, link);
      electron.app.emit('second-instance', {}, ['electron', '.', link], '/');
    }
    for (const argv of hostileArgv) electron.app.emit('second-instance', {}, argv, '/');

    // Whatever got through the parser can only open a run form, for the person to confirm.
    const jobs = await harness.call('jobs.list', {});
    for (const request of requests) {
      expect(Object.getPrototypeOf(request.values)).toBe(Object.prototype);
      for (const key of Object.keys(request.values)) expect(POLLUTING_KEYS).not.toContain(key);
      const target = resolveLaunchRequest(request, jobs);
      if (target) {
        navigations.push(target);
        expect(target.screen).toBe('run-form');
        if (target.screen === 'run-form') {
          expect(Object.keys(target.values).every((key) => key === 'dest')).toBe(true);
        }
      }
    }
    for (const link of hostileLinks) expect(parseDeepLink(link), link).toBeUndefined();
    for (const argv of hostileArgv.slice(0, 6))
      expect(parseCommandLine(argv), argv.join(' ')).toBeUndefined();
    expect(parseLaunchOptions(['electron', '.', '--run', 'Backup']).launchRequest).toEqual({
      jobRef: 'Backup',
      values: {},
    });

    expect(serviceCalls).toEqual([]);
    expect(sim.stats().launchesReceived).toBe(launchesBefore);
    expect((await harness.call('runs.history', { offset: 0, limit: 1000 })).total).toBe(
      historyBefore,
    );
    expect(state()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(shown).toBe(links.length * 2 + hostileArgv.length);
    figures.push({
      check: 'links and command lines',
      sent: links.length * 2 + hostileArgv.length,
      parsedAsRunForm: requests.length,
      navigations: navigations.length,
      runsStarted: 0,
    });
  });
});

// The deep-link module must not be able to reach the runner: nothing there imports it.
describe('links cannot start a run by construction', () => {
  it('deep-link parsing imports nothing that can launch', () => {
    const source = fs.readFileSync(path.join('app', 'core', 'desktop', 'deep-link.ts'), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(imports.every((specifier) => /shared\//.test(specifier ?? ''))).toBe(true);
  });
});
