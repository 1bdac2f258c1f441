// Proof: what the person set up survives a damaged start. A settings write cut short, a corrupt
// or missing file, a file from a newer version, a damaged history, and a file from the old
// format each come back with nothing lost (everything the window shows equals the last good
// state, and the stored key and secret values still decrypt) and a StartupNotice says what
// happened. Run over both settings backends: the plain file (headless, history) and
// electron-store's (the app), the latter through `conf`, the library it extends, since
// electron-store itself imports Electron.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentBackend } from '../../app/core/ports.ts';
import { createFileDocumentBackend } from '../../app/core/store/file-document-backend.ts';
import { createStoreBackend } from '../../app/main/store-backend.ts';
import type { StartupNotice } from '../../app/shared/model.ts';
import {
  addSimulatorServer,
  makeTempDir,
  openServices,
  type ServicesHarness,
  waitForRunEnd,
} from '../core/main-services-harness.ts';
import { ConfStore } from '../fakes/conf-store.ts';
import { createFakeSecretCipher } from '../fakes/secret-cipher.ts';
import { startTestSimulator, type TestSimulator } from '../helpers/simulator.ts';
import { printFigures, type FigureRow } from './figures.ts';

const BACKENDS: Record<string, (dir: string) => DocumentBackend> = {
  'plain file': (dir) =>
    createFileDocumentBackend(path.join(dir, 'settings.json'), { pretty: true }),
  'electron-store': (dir) => createStoreBackend(ConfStore, { name: 'settings', directory: dir }),
};

const SECRET_VALUE = 'crash-proof-secret-42';
const V1_FIXTURE = path.join('test', 'fixtures', 'settings-v1.json');

let sim: TestSimulator;
const temps: { remove(): void }[] = [];
const figures: FigureRow[] = [];

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  for (const temp of temps) temp.remove();
  await sim.cleanup();
  printFigures('crash safety', figures);
});

function open(dir: string, backend: string): Promise<ServicesHarness> {
  return openServices(dir, { settingsBackend: BACKENDS[backend]!(dir) });
}

/** Everything the person sees of their setup, plus proof that the encrypted parts still open. */
async function view(harness: ServicesHarness) {
  const jobs = await harness.call('jobs.list', {});
  // One at a time: each command with its secrets lands on the clipboard, which is read back.
  const withSecrets: string[] = [];
  for (const job of jobs) {
    withSecrets.push(
      await harness
        .call('jobs.copyAsCommand', {
          id: job.id,
          values: job.lastValues,
          format: 'aft',
          includeKey: true,
        })
        .then(
          () => harness.recorded.clipboard.at(-1) ?? 'nothing copied',
          (error: Error & { fields?: unknown }) =>
            `no command: ${error.message} ${JSON.stringify(error.fields)}`,
        ),
    );
  }
  return {
    servers: await harness.call('servers.list', {}),
    jobs,
    settings: await harness.call('settings.get', {}),
    history: await harness.call('runs.history', { offset: 0, limit: 1000 }),
    commandsWithSecrets: withSecrets,
  };
}

/** A setup worth keeping: a pinned server with a key, a job with a saved secret, settings, history. */
async function seed(
  backend: string,
): Promise<{ dir: string; lastGood: Awaited<ReturnType<typeof view>> }> {
  const temp = makeTempDir();
  temps.push(temp);
  const harness = await open(temp.dir, backend);
  const server = await addSimulatorServer(harness, sim);
  const job = await harness.call('jobs.save', {
    name: 'Backup',
    serverId: server.id,
    target: { kind: 'scriptName', value: 'Quick Success' },
    params: [
      { name: 'dest', type: 'text', required: true },
      { name: 'token', type: 'secret', required: true },
    ],
    favourite: true,
    showInTray: true,
    notify: 'failures',
    confirmBeforeRun: false,
    tags: ['nightly'],
    presets: [{ name: 'archive', values: { dest: '/archive' } }],
  });
  await harness.call('settings.update', { theme: 'dark', historyLimit: 300 });
  const started = await harness.call('runs.start', {
    jobId: job.id,
    values: { dest: '/srv', token: SECRET_VALUE },
  });
  if (!started.ok) throw new Error(started.message);
  await waitForRunEnd(harness, started.run);
  const lastGood = await view(harness);
  harness.quit();
  expect(lastGood.history.runs.map((run) => run.state)).toEqual(['succeeded']);
  expect(lastGood.commandsWithSecrets[0]).toContain(sim.apiKey);
  expect(lastGood.commandsWithSecrets[0]).toContain(SECRET_VALUE);
  return { dir: temp.dir, lastGood };
}

interface Damage {
  name: string;
  damage(dir: string): void;
  /** The notice the person must get; undefined when nothing was damaged and none is due. */
  notice?: { kind: StartupNotice['kind']; says: RegExp[]; keepsBackupOf?: 'settings' | 'history' };
}

const halfOf = (file: string) => {
  const bytes = fs.readFileSync(file);
  return bytes.subarray(0, Math.floor(bytes.length / 2));
};

const DAMAGES: Damage[] = [
  {
    name: 'settings write cut short (file truncated mid-JSON)',
    damage: (dir) => {
      const file = path.join(dir, 'settings.json');
      fs.writeFileSync(file, halfOf(file));
    },
    notice: {
      kind: 'settings-recovered',
      says: [/settings file could not be used: it is not valid JSON/, /last good copy/, /kept as/],
      keepsBackupOf: 'settings',
    },
  },
  {
    name: 'settings write cut short (temporary file left behind)',
    // An atomic write that died before its rename: the real file is the previous good one.
    damage: (dir) => {
      const file = path.join(dir, 'settings.json');
      fs.writeFileSync(`${file}.tmp-4242-7`, halfOf(file));
      fs.writeFileSync(path.join(dir, 'history.json.tmp-4242-8'), '{"schemaVers');
    },
  },
  {
    name: 'corrupt settings (random bytes)',
    damage: (dir) => {
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7919 + 13) % 256;
      fs.writeFileSync(path.join(dir, 'settings.json'), bytes);
    },
    notice: {
      kind: 'settings-recovered',
      says: [/settings file could not be used/, /last good copy/],
      keepsBackupOf: 'settings',
    },
  },
  {
    name: 'corrupt settings (valid JSON, wrong content)',
    damage: (dir) =>
      fs.writeFileSync(
        path.join(dir, 'settings.json'),
        '{"schemaVersion":2,"servers":"oops","jobs":[],"settings":{}}',
      ),
    notice: {
      kind: 'settings-recovered',
      says: [/its content is not valid at servers/, /last good copy/],
      keepsBackupOf: 'settings',
    },
  },
  {
    name: 'settings missing (crash between setting aside and rewriting)',
    damage: (dir) => fs.rmSync(path.join(dir, 'settings.json')),
    notice: {
      kind: 'settings-recovered',
      says: [/was missing/, /restored it from the last good copy/],
    },
  },
  {
    name: 'settings from a newer version',
    damage: (dir) =>
      fs.writeFileSync(
        path.join(dir, 'settings.json'),
        '{"schemaVersion":99,"servers":[],"jobs":[],"settings":{}}',
      ),
    notice: {
      kind: 'settings-recovered',
      says: [/written by a newer version of AFT! Launcher \(format 99/, /last good copy/],
      keepsBackupOf: 'settings',
    },
  },
  {
    name: 'history write cut short (file truncated)',
    damage: (dir) => {
      const file = path.join(dir, 'history.json');
      fs.writeFileSync(file, halfOf(file));
    },
    notice: {
      kind: 'settings-recovered',
      says: [/run history file could not be used/, /last good copy/],
      keepsBackupOf: 'history',
    },
  },
];

describe.each(Object.keys(BACKENDS))('crash safety, settings in %s', (backend) => {
  it.each(DAMAGES.map((damage) => [damage.name, damage] as const))(
    '%s: nothing lost, the person told',
    async (_name, scenario) => {
      const { dir, lastGood } = await seed(backend);
      const file = path.join(
        dir,
        scenario.notice?.keepsBackupOf === 'history' ? 'history.json' : 'settings.json',
      );
      scenario.damage(dir);
      const damagedBytes = fs.existsSync(file) ? fs.readFileSync(file) : undefined;

      const harness = await open(dir, backend);
      const recovered = await view(harness);
      const notices = (await harness.call('app.status', {})).notices;
      harness.quit();

      expect(recovered).toEqual(lastGood);
      if (scenario.notice) {
        const notice = notices.find((candidate) => candidate.kind === scenario.notice?.kind);
        expect(notice, JSON.stringify(notices)).toBeDefined();
        for (const says of scenario.notice.says) expect(notice?.message).toMatch(says);
        if (scenario.notice.keepsBackupOf) {
          // The damaged file is kept, byte for byte, where the notice says.
          expect(notice?.backupPath).toBeDefined();
          expect(notice?.message).toContain(notice?.backupPath);
          expect(fs.readFileSync(notice!.backupPath!)).toEqual(damagedBytes);
        }
      } else {
        expect(notices.filter((notice) => notice.kind === 'settings-recovered')).toEqual([]);
      }
      // And the next start is clean: the recovery was written back.
      const again = await open(dir, backend);
      expect(await view(again)).toEqual(lastGood);
      expect((await again.call('app.status', {})).notices).toEqual([]);
      again.quit();
      figures.push({
        backend,
        scenario: scenario.name,
        serversKept: recovered.servers.length,
        jobsKept: recovered.jobs.length,
        runsKept: recovered.history.total,
        secretsOpen: recovered.commandsWithSecrets[0]?.includes(SECRET_VALUE) ?? false,
        notice: notices.map((notice) => notice.kind).join(',') || 'none',
      });
    },
  );

  it('a settings file from format 1 is upgraded with nothing lost, the original kept', async () => {
    const temp = makeTempDir();
    temps.push(temp);
    const fixture = fs.readFileSync(V1_FIXTURE);
    const v1 = JSON.parse(fixture.toString('utf8')) as {
      servers: { apiKeyCipher: string | null }[];
      jobs: { secretParamsCipher?: Record<string, string> }[];
    };
    fs.writeFileSync(path.join(temp.dir, 'settings.json'), fixture);

    const harness = await open(temp.dir, backend);
    const upgraded = await view(harness);
    const notices = (await harness.call('app.status', {})).notices;
    harness.quit();

    const notice = notices.find((candidate) => candidate.kind === 'settings-migrated');
    expect(notice?.message).toMatch(/upgraded from format 1 to format 2/);
    expect(notice?.message).toContain(notice?.backupPath);
    expect(fs.readFileSync(notice!.backupPath!)).toEqual(fixture);

    expect(
      upgraded.servers.map(({ id, name, baseUrl, hasApiKey }) => ({
        id,
        name,
        baseUrl,
        hasApiKey,
      })),
    ).toEqual([
      {
        id: 'office',
        name: 'Office AFT!',
        baseUrl: 'https://aft.office.example:44399',
        hasApiKey: true,
      },
      {
        id: 'cloud',
        name: 'Cloud AFT!',
        baseUrl: 'https://aft.cloud.example:8443',
        hasApiKey: false,
      },
    ]);
    expect(
      upgraded.servers[0]?.pinnedCertificate?.fingerprint256.replace(/:/g, '').toLowerCase(),
    ).toBe('ff6ba6b28f043896b247dcfc1083dc49ea4d2eb38399dfc0bd8d160c0381a63a');
    const [nightly, monthEnd] = upgraded.jobs;
    expect(nightly).toMatchObject({
      id: 'job-1',
      name: 'Nightly backup',
      serverId: 'office',
      target: { kind: 'scriptName', value: 'My Backup Job' },
      favourite: true,
      lastValues: { destination: '/archive/2025', retries: 2, verbose: true, character: 'mickey' },
      savedSecretParams: ['ftpPassword'],
    });
    expect(nightly?.params.map((param) => [param.name, param.type])).toEqual([
      ['destination', 'text'],
      ['retries', 'number'],
      ['verbose', 'boolean'],
      ['character', 'choice'],
      ['ftpPassword', 'secret'],
    ]);
    expect(nightly?.params[3]?.allowedValues).toEqual(['goofy', 'mickey']);
    expect(monthEnd).toMatchObject({ id: 'job-2', name: 'Month-end report', serverId: 'cloud' });
    expect(upgraded.settings).toMatchObject({
      theme: 'dark',
      notificationsEnabled: false,
      historyLimit: 2000,
    });

    // The encrypted key and secret value came across untouched and still open.
    const cipher = createFakeSecretCipher();
    const key = await cipher.decrypt(v1.servers[0]!.apiKeyCipher!);
    const password = await cipher.decrypt(v1.jobs[0]!.secretParamsCipher!.ftpPassword!);
    expect(upgraded.commandsWithSecrets[0]).toContain(key);
    expect(upgraded.commandsWithSecrets[0]).toContain(password);

    const again = await open(temp.dir, backend);
    expect(await view(again)).toEqual(upgraded);
    expect((await again.call('app.status', {})).notices).toEqual([]);
    again.quit();
    figures.push({
      backend,
      scenario: 'format 1 file upgraded',
      serversKept: upgraded.servers.length,
      jobsKept: upgraded.jobs.length,
      runsKept: upgraded.history.total,
      secretsOpen: true,
      notice: notices.map((candidate) => candidate.kind).join(','),
    });
  });
});
