import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDocumentStore } from '../../../app/core/store/document-store.ts';
import { createFileDocumentBackend } from '../../../app/core/store/file-document-backend.ts';
import {
  SETTINGS_DOCUMENT_VERSION,
  settingsDocumentSpec,
  type SettingsDocument,
} from '../../../app/core/store/settings-document.ts';
import { FakeClock } from '../../helpers/fake-clock.ts';
import { createFakeSecretCipher } from '../../fakes/secret-cipher.ts';

const FIXTURE = path.join(import.meta.dirname, '../../fixtures/settings-v1.json');

let directory: string;
let file: string;
let clock: FakeClock;

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'aft-settings-'));
  file = path.join(directory, 'settings.json');
  clock = new FakeClock(Date.UTC(2026, 11, 3, 12, 0, 0));
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

function open() {
  return openDocumentStore(
    createFileDocumentBackend(file, { pretty: true }),
    settingsDocumentSpec(new Date(clock.now())),
    { clock },
  );
}

function withOneJob(store: ReturnType<typeof open>, name: string): SettingsDocument {
  store.document.servers.push({
    id: 's1',
    name: 'Local',
    baseUrl: 'https://127.0.0.1:44399',
    isDemo: false,
  });
  store.document.jobs.push({
    id: 'j1',
    name,
    serverId: 's1',
    target: { kind: 'scriptName', value: 'My Backup Job' },
    params: [],
    favourite: false,
    showInTray: false,
    notify: 'always',
    confirmBeforeRun: false,
    tags: [],
    presets: [],
    lastValues: {},
    encryptedSecretValues: {},
    order: 0,
    createdAt: 'now',
    updatedAt: 'now',
  });
  store.save();
  return store.document;
}

describe('settings migrations', () => {
  it('upgrades the format-1 fixture, keeps the original, and says so', async () => {
    fs.copyFileSync(FIXTURE, file);
    const store = open();
    const { document } = store;

    expect(document.schemaVersion).toBe(SETTINGS_DOCUMENT_VERSION);
    const [office, cloud] = document.servers;
    expect(office).toMatchObject({
      id: 'office',
      name: 'Office AFT!',
      baseUrl: 'https://aft.office.example:44399',
      isDemo: false,
      pinnedCertificate: {
        fingerprint256:
          'FF:6B:A6:B2:8F:04:38:96:B2:47:DC:FC:10:83:DC:49:EA:4D:2E:B3:83:99:DF:C0:BD:8D:16:0C:03:81:A6:3A',
        subject: 'CN=aft.office.example',
      },
    });
    expect(office?.pinnedCertificate?.pem).toContain('BEGIN CERTIFICATE');
    expect(cloud).toEqual({
      id: 'cloud',
      name: 'Cloud AFT!',
      baseUrl: 'https://aft.cloud.example:8443',
      isDemo: false,
    });
    // The ciphertext is carried over unchanged and still decrypts to the key.
    const cipher = createFakeSecretCipher();
    expect(await cipher.decrypt(office!.encryptedApiKey!)).toBe('v1-office-key-7Qm2');

    const [backup, report] = document.jobs;
    expect(backup).toMatchObject({
      id: 'job-1',
      serverId: 'office',
      target: { kind: 'scriptName', value: 'My Backup Job' },
      favourite: true,
      order: 0,
      lastValues: { destination: '/archive/2025', retries: 2, verbose: true, character: 'mickey' },
    });
    expect(backup?.params.map((p) => [p.name, p.type])).toEqual([
      ['destination', 'text'],
      ['retries', 'number'],
      ['verbose', 'boolean'],
      ['character', 'choice'],
      ['ftpPassword', 'secret'],
    ]);
    expect(backup?.params[3]?.allowedValues).toEqual(['goofy', 'mickey']);
    expect(await cipher.decrypt(backup!.encryptedSecretValues.ftpPassword!)).toBe('hunter2-ftp');
    expect(report).toMatchObject({ target: { kind: 'scriptName', value: 'Month End' }, order: 1 });
    expect(document.settings).toMatchObject({
      theme: 'dark',
      notificationsEnabled: false,
      historyLimit: 2000,
    });

    const [notice] = store.notices;
    expect(notice?.kind).toBe('settings-migrated');
    expect(notice?.message).toContain('from format 1 to format 2');
    expect(fs.readFileSync(notice!.backupPath!, 'utf8')).toBe(fs.readFileSync(FIXTURE, 'utf8'));
    // The upgraded document is on disk: a second start reads it without another migration.
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).schemaVersion).toBe(2);
    expect(open().notices).toEqual([]);
  });
});

describe('settings corruption recovery', () => {
  function damagedStart(damage: () => void) {
    withOneJob(open(), 'Nightly backup');
    damage();
    const store = open();
    return store;
  }

  it('recovers from a file that is not JSON, keeping the damaged file', () => {
    const store = damagedStart(() => fs.writeFileSync(file, '{"schemaVersion":2,"servers":[{'));
    expect(store.document.jobs.map((job) => job.name)).toEqual(['Nightly backup']);
    const [notice] = store.notices;
    expect(notice?.kind).toBe('settings-recovered');
    expect(notice?.message).toContain('not valid JSON');
    expect(notice?.message).toContain(notice!.backupPath!);
    expect(notice?.backupPath).toBe(`${file}.corrupt-2026-12-03T12-00-00-000Z`);
    expect(fs.readFileSync(notice!.backupPath!, 'utf8')).toBe('{"schemaVersion":2,"servers":[{');
    // The recovered document is written back as the settings file.
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).jobs[0].name).toBe('Nightly backup');
  });

  it('recovers from a write cut short (a truncated file)', () => {
    const store = damagedStart(() => {
      const whole = fs.readFileSync(file);
      fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    });
    expect(store.document.jobs.map((job) => job.name)).toEqual(['Nightly backup']);
    expect(store.notices[0]?.kind).toBe('settings-recovered');
  });

  it('recovers from an empty file', () => {
    const store = damagedStart(() => fs.writeFileSync(file, ''));
    expect(store.document.jobs).toHaveLength(1);
    expect(fs.readFileSync(store.notices[0]!.backupPath!, 'utf8')).toBe('');
  });

  it('recovers from a file that cannot be read at all', () => {
    const store = damagedStart(() => {
      fs.rmSync(file);
      fs.mkdirSync(file); // reading a directory fails with EISDIR
    });
    expect(store.document.jobs).toHaveLength(1);
    expect(store.notices[0]?.message).toContain('could not be read (EISDIR)');
    expect(fs.statSync(store.notices[0]!.backupPath!).isDirectory()).toBe(true);
  });

  it('recovers from valid JSON that is not a settings document', () => {
    const store = damagedStart(() =>
      fs.writeFileSync(file, JSON.stringify({ schemaVersion: 2, servers: 'oops' })),
    );
    expect(store.document.jobs).toHaveLength(1);
    expect(store.notices[0]?.message).toContain('content is not valid at servers');
  });

  it('keeps a file from a newer version aside rather than overwriting it', () => {
    const store = damagedStart(() => fs.writeFileSync(file, JSON.stringify({ schemaVersion: 99 })));
    expect(store.notices[0]?.message).toContain('written by a newer version');
    expect(JSON.parse(fs.readFileSync(store.notices[0]!.backupPath!, 'utf8'))).toEqual({
      schemaVersion: 99,
    });
  });

  it('restores a missing file from the last good copy', () => {
    const store = damagedStart(() => fs.rmSync(file));
    expect(store.document.jobs).toHaveLength(1);
    expect(store.notices[0]?.message).toContain('was missing');
  });

  it('starts empty, with the damaged file kept and the person told, when no good copy exists', () => {
    fs.writeFileSync(file, 'garbage');
    const store = open();
    expect(store.document.jobs).toEqual([]);
    expect(store.notices[0]?.message).toContain('No good copy could be found');
    expect(fs.readFileSync(store.notices[0]!.backupPath!, 'utf8')).toBe('garbage');
  });

  it('starts empty and silently on a first start', () => {
    const store = open();
    expect(store.document.servers).toEqual([]);
    expect(store.notices).toEqual([]);
  });

  it('leaves no temporary file behind after writes', () => {
    withOneJob(open(), 'a');
    expect(fs.readdirSync(directory).sort()).toEqual(['settings.json', 'settings.json.last-good']);
  });
});
