// Builds the real main-process services over files in a temporary folder, recording every
// event sent to the window, every observer call and every log line, so tests can check what
// the person would see and search everything for leaked secrets.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAftClient, type AftClient } from '../../app/core/aft/client.ts';
import type { Clock } from '../../app/core/clock.ts';
import {
  createMainServices,
  type MainServices,
  type MainServicesOptions,
} from '../../app/core/main-services.ts';
import type { IpcHandlers } from '../../app/core/ipc/validated-ipc.ts';
import { createFileDocumentBackend } from '../../app/core/store/file-document-backend.ts';
import { isActiveRun } from '../../app/core/store/run-history.ts';
import type {
  IpcOutput,
  IpcParsedInput,
  IpcRequestName,
  IpcEventName,
} from '../../app/shared/ipc-contract.ts';
import type { Run } from '../../app/shared/model.ts';
import type { Simulator } from '../../app/simulator/simulator.ts';
import { createFakeSecretCipher, type FakeSecretCipher } from '../fakes/secret-cipher.ts';

export interface Recorded {
  events: { name: IpcEventName; payload: unknown }[];
  observed: Run[];
  logs: string[];
  opened: string[];
  /** What was put on the clipboard, which the window never sees. */
  clipboard: string[];
}

export interface ServicesHarness {
  services: MainServices;
  recorded: Recorded;
  cipher: FakeSecretCipher;
  client: AftClient;
  call<N extends IpcRequestName>(name: N, input: IpcParsedInput<N>): Promise<IpcOutput<N>>;
  /** Flushes and disposes, as on quit (the files stay). */
  quit(): void;
}

export function makeTempDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-services-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function openServices(
  dir: string,
  overrides: Partial<MainServicesOptions> & { clock?: Clock; cipher?: FakeSecretCipher } = {},
): Promise<ServicesHarness> {
  const recorded: Recorded = { events: [], observed: [], logs: [], opened: [], clipboard: [] };
  const cipher = overrides.cipher ?? createFakeSecretCipher({ backend: 'gnome_libsecret' });
  const client =
    overrides.client ?? createAftClient({ connectTimeoutMs: 2000, responseTimeoutMs: 3000 });
  let counter = 0;
  const services = await createMainServices({
    settingsBackend: createFileDocumentBackend(path.join(dir, 'settings.json'), { pretty: true }),
    historyBackend: createFileDocumentBackend(path.join(dir, 'history.json')),
    cipher,
    client,
    startDemoServer: async () => {
      throw new Error('No demo server in this test.');
    },
    openExternal: (url) => {
      recorded.opened.push(url);
    },
    writeClipboard: (text) => {
      recorded.clipboard.push(text);
    },
    observers: [{ runUpdated: (run) => recorded.observed.push(run) }],
    emit: (name, payload) => recorded.events.push({ name, payload }),
    newId: () => `id-${Date.now().toString(36)}-${(counter += 1)}`,
    log: (message) => recorded.logs.push(message),
    pollPolicy: { initialDelayMs: 20, maxDelayMs: 100, jitter: 0 },
    historyWriteDelayMs: 50,
    ...overrides,
  });
  const handlers: IpcHandlers = services.handlers;
  return {
    services,
    recorded,
    cipher,
    client,
    call: (name, input) =>
      (handlers[name] as (input: unknown) => Promise<IpcOutput<typeof name>>)(input),
    quit() {
      services.dispose();
      if (!overrides.client) client.close();
    },
  };
}

/** Adds the simulator as a person would: with its own key, after trusting its certificate. */
export function addSimulatorServer(
  harness: ServicesHarness,
  simulator: Pick<Simulator, 'url' | 'apiKey' | 'fingerprint256'>,
): Promise<IpcOutput<'servers.add'>> {
  return harness.call('servers.add', {
    name: 'Simulator',
    baseUrl: simulator.url,
    apiKey: simulator.apiKey,
    confirmedFingerprint256: simulator.fingerprint256,
  });
}

/** The jobs.save fields of a job the person gave nothing extra: no favourite, tray entry, tags or presets. */
export function plainJobOptions(): Pick<
  IpcParsedInput<'jobs.save'>,
  'favourite' | 'showInTray' | 'notify' | 'confirmBeforeRun' | 'tags' | 'presets'
> {
  return {
    favourite: false,
    showInTray: false,
    notify: 'always',
    confirmBeforeRun: false,
    tags: [],
    presets: [],
  };
}

/** Reads the run until it has ended (or 5 s have passed) and returns it as last read. */
export async function waitForRunEnd(harness: ServicesHarness, run: Run): Promise<Run> {
  let current = run;
  for (let i = 0; i < 500 && isActiveRun(current); i += 1) {
    await sleep(10);
    current = await harness.call('runs.get', { id: current.id });
  }
  return current;
}

/** Every byte under a folder, as text. */
export function readEverything(dir: string): string {
  const parts: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      parts.push(fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1'));
  }
  return parts.join('\n');
}
