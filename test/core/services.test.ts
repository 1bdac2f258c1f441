// Servers, saved jobs, presets, export and import through the handlers, with a stand-in client
// (no network): trust on first use, write-only keys, refusing to store secrets in clear.
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AftClient } from '../../app/core/aft/client.ts';
import { AftError } from '../../app/core/aft/errors.ts';
import type { ProbedCertificate } from '../../app/core/aft/tls.ts';
import { BASIC_TEXT_WARNING } from '../../app/core/secrets/secret-vault.ts';
import type { SavedJobFields } from '../../app/core/jobs/saved-jobs-service.ts';
import { createFakeSecretCipher } from '../fakes/secret-cipher.ts';
import {
  FIXTURE_FINGERPRINT,
  FIXTURE_PEM,
  probedFixtureCertificate,
} from '../helpers/fixture-certificate.ts';
import { makeTempDir, openServices, type ServicesHarness } from './main-services-harness.ts';

const PEM = FIXTURE_PEM;
const FINGERPRINT = FIXTURE_FINGERPRINT;
const OTHER_FINGERPRINT = FINGERPRINT.replace(/^FF/, '00');
const probed = probedFixtureCertificate;

function fakeClient(certificate: () => ProbedCertificate) {
  const probes: string[] = [];
  const client: AftClient = {
    probeCertificate: async (baseUrl) => {
      probes.push(baseUrl);
      return certificate();
    },
    launch: async () => {
      throw new Error('not in this test');
    },
    getJob: async () => {
      throw new Error('not in this test');
    },
    testConnection: async (endpoint) => {
      if (endpoint.apiKey !== 'good-key-123') {
        throw new AftError({ code: 'auth', message: 'The key was refused.', status: 401 });
      }
      return { origin: endpoint.baseUrl, tls: 'pinned', key: 'accepted', summary: 'Connected.' };
    },
    close: () => undefined,
  };
  return { client, probes };
}

let temp: ReturnType<typeof makeTempDir>;
let harness: ServicesHarness;
let certificate: ProbedCertificate;
let probes: string[];

beforeEach(async () => {
  temp = makeTempDir();
  certificate = probed();
  const fake = fakeClient(() => certificate);
  probes = fake.probes;
  harness = await openServices(temp.dir, {
    client: fake.client,
    startDemoServer: async () => ({
      baseUrl: 'https://127.0.0.1:50123',
      apiKey: 'demo-key-456',
      certPem: PEM,
      fingerprint256: FINGERPRINT,
    }),
  });
});
afterEach(() => {
  harness.quit();
  temp.remove();
});

async function addServer(name = 'Office', baseUrl = 'aft.office.example') {
  await harness.call('servers.probe', { baseUrl });
  return harness.call('servers.add', {
    name,
    baseUrl,
    apiKey: 'good-key-123',
    confirmedFingerprint256: FINGERPRINT,
  });
}

function jobInput(serverId: string, overrides: Partial<SavedJobFields> = {}): SavedJobFields {
  return {
    name: 'Nightly',
    serverId,
    target: { kind: 'scriptName' as const, value: 'My Backup Job' },
    params: [
      { name: 'dest', type: 'text' as const, required: true, default: '/archive' },
      { name: 'pw', type: 'secret' as const, required: false },
    ],
    favourite: false,
    showInTray: false,
    notify: 'always' as const,
    confirmBeforeRun: false,
    tags: ['nightly'],
    presets: [],
    ...overrides,
  };
}

describe('servers', () => {
  it('pins exactly the probed certificate the person confirmed, at the canonical address', async () => {
    const info = await harness.call('servers.probe', { baseUrl: 'aft.office.example' });
    expect(info).not.toHaveProperty('pem');
    expect(info.fingerprint256).toBe(FINGERPRINT);
    const server = await harness.call('servers.add', {
      name: 'Office',
      baseUrl: 'https://aft.office.example/',
      apiKey: 'good-key-123',
      confirmedFingerprint256: FINGERPRINT,
    });
    expect(server).toMatchObject({
      baseUrl: 'https://aft.office.example:44399',
      hasApiKey: true,
      isDemo: false,
      pinnedCertificate: { fingerprint256: FINGERPRINT, subject: 'CN=aft.office.example' },
    });
    expect(server).not.toHaveProperty('apiKey');
    expect(probes).toEqual(['https://aft.office.example:44399']);
  });

  it('refuses a fingerprint that is not the one presented, and asks for one when not publicly trusted', async () => {
    await harness.call('servers.probe', { baseUrl: 'aft.office.example' });
    await expect(
      harness.call('servers.add', {
        name: 'Office',
        baseUrl: 'aft.office.example',
        apiKey: 'good-key-123',
        confirmedFingerprint256: OTHER_FINGERPRINT,
      }),
    ).rejects.toMatchObject({ code: 'certificate-changed' });
    await expect(
      harness.call('servers.add', {
        name: 'Office',
        baseUrl: 'aft.office.example',
        apiKey: 'good-key-123',
      }),
    ).rejects.toMatchObject({ code: 'confirmation-required' });
    expect(await harness.call('servers.list', {})).toEqual([]);
  });

  it('needs no pin for a publicly trusted certificate', async () => {
    certificate = probed({ publiclyTrusted: true, selfSigned: false });
    const server = await harness.call('servers.add', {
      name: 'Cloud',
      baseUrl: 'https://aft.cloud.example:8443',
      apiKey: 'good-key-123',
    });
    expect(server.pinnedCertificate).toBeUndefined();
  });

  it('explains what is wrong with an address', async () => {
    await expect(harness.call('servers.probe', { baseUrl: 'http://h' })).rejects.toMatchObject({
      code: 'invalid-url',
      message: expect.stringContaining('https://'),
    });
    await expect(
      harness.call('servers.probe', { baseUrl: 'https://h/v1/jobs' }),
    ).rejects.toMatchObject({
      code: 'invalid-url',
      message: expect.stringContaining('path'),
    });
  });

  it('re-pins only a certificate the person confirmed, refuses a duplicate address', async () => {
    const server = await addServer();
    await expect(addServer('Again')).rejects.toMatchObject({ code: 'duplicate' });
    certificate = probed({ fingerprint256: OTHER_FINGERPRINT });
    await harness.call('servers.probe', { baseUrl: server.baseUrl });
    await expect(
      harness.call('servers.repin', { id: server.id, confirmedFingerprint256: FINGERPRINT }),
    ).rejects.toMatchObject({ code: 'certificate-changed' });
    const repinned = await harness.call('servers.repin', {
      id: server.id,
      confirmedFingerprint256: OTHER_FINGERPRINT,
    });
    expect(repinned.pinnedCertificate?.fingerprint256).toBe(OTHER_FINGERPRINT);
  });

  it('tests the connection with the stored key, and sets a new key write-only', async () => {
    const server = await addServer();
    expect(await harness.call('servers.test', { id: server.id })).toEqual({
      reachable: true,
      tlsOk: true,
      keyAccepted: true,
      message: 'Connected.',
    });
    await harness.call('servers.setKey', { id: server.id, apiKey: 'bad-key-999' });
    expect(await harness.call('servers.test', { id: server.id })).toMatchObject({
      reachable: true,
      tlsOk: true,
      keyAccepted: false,
    });
  });

  it('refuses to remove a server that saved jobs use, naming them', async () => {
    const server = await addServer();
    await harness.call('jobs.save', jobInput(server.id, { name: 'Nightly' }));
    await harness.call('jobs.save', jobInput(server.id, { name: 'Weekly' }));
    await expect(harness.call('servers.remove', { id: server.id })).rejects.toMatchObject({
      code: 'in-use',
      message: expect.stringContaining('"Nightly", "Weekly"'),
    });
    for (const job of await harness.call('jobs.list', {}))
      await harness.call('jobs.delete', { id: job.id });
    await harness.call('servers.remove', { id: server.id });
    expect(await harness.call('servers.list', {})).toEqual([]);
  });

  it('starts the demo server pinned, and opens only the https web UI', async () => {
    const demo = await harness.call('servers.startDemo', {});
    expect(demo).toMatchObject({
      isDemo: true,
      hasApiKey: true,
      baseUrl: 'https://127.0.0.1:50123',
      pinnedCertificate: { fingerprint256: FINGERPRINT },
    });
    const again = await harness.call('servers.startDemo', {});
    expect(again.id).toBe(demo.id);
    await harness.call('servers.openWebUi', { id: demo.id });
    expect(harness.recorded.opened).toEqual(['https://127.0.0.1:50123/']);
  });

  it('never stores a key in clear when the platform cannot encrypt', async () => {
    harness.quit();
    const cipher = createFakeSecretCipher({ available: false });
    harness = await openServices(temp.dir, {
      client: fakeClient(() => certificate).client,
      cipher,
    });
    expect(harness.services.notices.map((n) => n.kind)).toContain('secrets-unavailable');
    await expect(addServer()).rejects.toMatchObject({
      code: 'secrets-unavailable',
      message: expect.stringContaining('never stores them unencrypted'),
    });
    harness.quit();
    expect(fs.readdirSync(temp.dir).join()).not.toContain('settings.json');
  });

  it('warns when secrets are only obfuscated (basic_text)', async () => {
    harness.quit();
    const cipher = createFakeSecretCipher({ backend: 'basic_text' });
    harness = await openServices(temp.dir, {
      client: fakeClient(() => certificate).client,
      cipher,
    });
    const status = await harness.call('app.status', {});
    expect(status.secretStorage).toEqual({
      available: true,
      backend: 'basic_text',
      warning: BASIC_TEXT_WARNING,
    });
  });
});

describe('saved jobs', () => {
  it('saves, validates definitions, duplicates, reorders and keeps presets free of secrets', async () => {
    const server = await addServer();
    await expect(
      harness.call(
        'jobs.save',
        jobInput(server.id, {
          params: [{ name: 'n', type: 'number', min: 5, max: 1, required: false }],
        }),
      ),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      fields: { 'params.0.min': expect.any(String) },
    });
    await expect(harness.call('jobs.save', jobInput('nope'))).rejects.toMatchObject({
      code: 'not-found',
    });

    const first = await harness.call('jobs.save', jobInput(server.id, { name: 'A' }));
    const second = await harness.call('jobs.save', jobInput(server.id, { name: 'B' }));
    const copy = await harness.call('jobs.duplicate', { id: first.id });
    expect(copy.name).toBe('A (copy)');
    expect((await harness.call('jobs.list', {})).map((j) => j.name)).toEqual([
      'A',
      'B',
      'A (copy)',
    ]);
    await harness.call('jobs.reorder', { ids: [copy.id, second.id] });
    expect((await harness.call('jobs.list', {})).map((j) => j.name)).toEqual([
      'A (copy)',
      'B',
      'A',
    ]);
    await expect(harness.call('jobs.reorder', { ids: ['missing'] })).rejects.toMatchObject({
      code: 'not-found',
    });

    const withPreset = await harness.call('jobs.savePreset', {
      id: first.id,
      preset: { name: 'archive', values: { dest: '/x', pw: 'preset-secret' } },
    });
    expect(withPreset.presets).toEqual([{ name: 'archive', values: { dest: '/x' } }]);
    const without = await harness.call('jobs.deletePreset', { id: first.id, name: 'archive' });
    expect(without.presets).toEqual([]);
    expect(harness.recorded.events.filter((e) => e.name === 'jobsChanged').length).toBeGreaterThan(
      5,
    );
  });

  it('exports without keys or secrets, and imports only sound entries, reporting the others', async () => {
    const server = await addServer();
    const job = await harness.call(
      'jobs.save',
      jobInput(server.id, {
        presets: [{ name: 'p', values: { dest: '/p', pw: 'never-exported' } }],
      }),
    );
    const exported = await harness.call('jobs.export', { ids: [job.id] });
    expect(exported).toMatchObject({ jobCount: 1, serverCount: 1 });
    expect(exported.json).not.toContain('good-key-123');
    expect(exported.json).not.toContain('never-exported');
    const file = JSON.parse(exported.json);
    expect(file).toMatchObject({ format: 'aft-launcher-jobs', version: 1 });

    // Into an empty installation: the server comes along (pinned, without key).
    harness.quit();
    temp.remove();
    temp = makeTempDir();
    harness = await openServices(temp.dir, { client: fakeClient(() => certificate).client });
    file.jobs.push(
      { ...file.jobs[0], name: 'Orphan', server: 'unknown-server' },
      { ...file.jobs[0], name: 'Broken', params: [{ name: 'x', type: 'choice', required: false }] },
      { name: 'Shapeless' },
    );
    file.servers.push({ ref: 'bad', name: 'Bad', baseUrl: 'http://insecure' });
    const report = await harness.call('jobs.import', { json: JSON.stringify(file) });
    expect(report.importedJobs).toBe(1);
    expect(report.importedServers).toBe(1);
    expect(report.errors.map((e) => e.entry)).toEqual([
      'Server "Bad"',
      'Job "Orphan"',
      'Job "Broken"',
      'Job "Shapeless"',
    ]);
    expect(report.errors[1]?.message).toContain('neither in this file nor saved here');
    const [imported] = await harness.call('servers.list', {});
    expect(imported).toMatchObject({
      hasApiKey: false,
      pinnedCertificate: { fingerprint256: FINGERPRINT },
    });
    expect((await harness.call('jobs.list', {})).map((j) => j.name)).toEqual(['Nightly']);

    // Imported again: the known server is reused and the job already here is skipped.
    const again = await harness.call('jobs.import', { json: exported.json });
    expect(again).toEqual({ importedJobs: 0, importedServers: 0, skippedJobs: 1, errors: [] });
    expect((await harness.call('jobs.list', {})).map((j) => j.name)).toEqual(['Nightly']);
    await expect(harness.call('jobs.import', { json: '{"format":"other"}' })).rejects.toMatchObject(
      {
        code: 'invalid-input',
      },
    );
    await expect(harness.call('jobs.import', { json: 'not json' })).rejects.toMatchObject({
      message: expect.stringContaining('not JSON'),
    });
  });

  it('skips a job identical to one already here (name, server, target) and imports the others', async () => {
    const server = await addServer();
    const job = await harness.call('jobs.save', jobInput(server.id));
    const file = JSON.parse((await harness.call('jobs.export', { ids: [job.id] })).json);
    const [entry] = file.jobs;
    file.jobs.push(
      { ...entry, name: 'Nightly (copy)' },
      { ...entry, target: { kind: 'scriptName', value: 'Another script' } },
      { ...entry, target: { ...entry.target, kind: 'filePath' } },
      // The same entry twice in one file is imported once.
      { ...entry, name: 'Weekly' },
      { ...entry, name: 'Weekly' },
    );
    harness.recorded.events.length = 0;
    const first = await harness.call('jobs.import', { json: JSON.stringify(file) });
    expect(first).toEqual({ importedJobs: 4, importedServers: 0, skippedJobs: 2, errors: [] });
    const names = () => harness.call('jobs.list', {}).then((jobs) => jobs.map((j) => j.name));
    expect((await names()).sort()).toEqual(
      ['Nightly', 'Nightly', 'Nightly', 'Nightly (copy)', 'Weekly'].sort(),
    );

    harness.recorded.events.length = 0;
    const second = await harness.call('jobs.import', { json: JSON.stringify(file) });
    expect(second).toEqual({ importedJobs: 0, importedServers: 0, skippedJobs: 6, errors: [] });
    expect(await names()).toHaveLength(5);
    // Nothing changed, so the window is not told to reload.
    expect(harness.recorded.events.map((event) => event.name)).not.toContain('jobsChanged');
  });

  it('updates settings and tells the window', async () => {
    const updated = await harness.call('settings.update', { theme: 'dark', historyLimit: 100 });
    expect(updated).toMatchObject({ theme: 'dark', historyLimit: 100 });
    expect(harness.recorded.events.at(-1)).toEqual({ name: 'settingsChanged', payload: updated });
  });
});
