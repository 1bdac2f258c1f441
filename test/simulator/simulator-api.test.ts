import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchOnSimulator,
  requestSimulator,
  startTestSimulator,
  type TestSimulator,
} from '../helpers/simulator.ts';

const START = Date.parse('2026-04-12T22:00:00.000Z');
let clock = START;
let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ now: () => clock });
});
afterAll(async () => {
  await sim.cleanup();
});

function errorOf(text: string): string {
  const body = JSON.parse(text) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

describe('POST /v1/jobs', () => {
  it('starts a job by name, case-insensitively, and answers 201 with a job info object', async () => {
    const answer = await launchOnSimulator(sim, {
      scriptName: 'my BACKUP job',
      params: { destination: '/archive/2026', character: 'goofy', retries: 3, dryRun: false },
    });
    expect(answer.status).toBe(201);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const info = JSON.parse(answer.text) as Record<string, unknown>;
    expect(info.id).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(answer.headers.location).toBe(`/v1/adm/jobs/${info.id as string}`);
    expect(info).toMatchObject({
      scriptName: 'My Backup Job',
      scriptId: 'p3fEoexohdHj6SXrvuT8H8',
      status: 'queued',
      params: { destination: '/archive/2026', character: 'goofy', retries: 3, dryRun: false },
      createdAt: new Date(clock).toISOString(),
    });
    expect(sim.job(info.id as string)).toMatchObject({
      scriptName: 'My Backup Job',
      target: { kind: 'scriptName', value: 'my BACKUP job' },
      apiKeyLabel: 'Simulator default key',
    });
  });

  it('starts a job by script ID and by .syncjs file path', async () => {
    const byId = await launchOnSimulator(sim, { scriptId: 'QckFailure000000000002' });
    expect(byId.status).toBe(201);
    expect(JSON.parse(byId.text)).toMatchObject({ scriptName: 'Quick Failure' });
    const byPath = await launchOnSimulator(sim, {
      filePath: '/srv/aft/tests/quick-success.syncjs',
    });
    expect(byPath.status).toBe(201);
    expect(JSON.parse(byPath.text)).toMatchObject({ scriptName: 'Quick Success' });
  });

  it('accepts an AFT! v3 style body (extra fields ignored) and null as "no target"', async () => {
    const v3 = await launchOnSimulator(sim, {
      jobType: 'SCRIPT',
      scriptId: 'ShortJob00000000000003',
    });
    expect(v3.status).toBe(201);
    const withNulls = await launchOnSimulator(sim, { scriptName: 'Short Job', scriptId: null });
    expect(withNulls.status).toBe(201);
  });

  it('answers 404 naming the script that does not exist', async () => {
    const byName = await launchOnSimulator(sim, { scriptName: 'No Such Job' });
    expect(byName.status).toBe(404);
    expect(errorOf(byName.text)).toContain('No script named "No Such Job"');
    const byId = await launchOnSimulator(sim, { scriptId: 'p3fEoexohdHj6SXrvuT8H9' });
    expect(byId.status).toBe(404);
    const byPath = await launchOnSimulator(sim, { filePath: '/nowhere.syncjs' });
    expect(byPath.status).toBe(404);
    expect(errorOf(byPath.text)).toContain('/nowhere.syncjs');
  });

  it('answers 400 unless exactly one target is given, saying which were given', async () => {
    const none = await launchOnSimulator(sim, { params: { a: 1 } });
    expect(none.status).toBe(400);
    expect(errorOf(none.text)).toMatch(/Exactly one of scriptName, scriptId or filePath.*none/);
    const two = await launchOnSimulator(sim, {
      scriptName: 'Quick Success',
      filePath: '/x.syncjs',
    });
    expect(two.status).toBe(400);
    expect(errorOf(two.text)).toContain('got scriptName and filePath');
    const notString = await launchOnSimulator(sim, { scriptName: 42 });
    expect(notString.status).toBe(400);
    expect(errorOf(notString.text)).toContain('scriptName must be a non-empty string');
  });

  it('answers 400 when params is not a flat object, naming the offending value', async () => {
    const nested = await launchOnSimulator(sim, {
      scriptName: 'Quick Success',
      params: { ok: 'yes', options: { deep: true } },
    });
    expect(nested.status).toBe(400);
    expect(errorOf(nested.text)).toMatch(/"options" is an object/);
    const arrayValue = await launchOnSimulator(sim, {
      scriptName: 'Quick Success',
      params: { files: ['a', 'b'] },
    });
    expect(arrayValue.status).toBe(400);
    expect(errorOf(arrayValue.text)).toMatch(/"files" is an array/);
    const v3List = await launchOnSimulator(sim, {
      scriptName: 'Quick Success',
      params: [{ name: 'k', value: 'v' }],
    });
    expect(v3List.status).toBe(400);
    expect(errorOf(v3List.text)).toMatch(/flat JSON object.*got an array/);
    const text = await launchOnSimulator(sim, { scriptName: 'Quick Success', params: 'k=v' });
    expect(text.status).toBe(400);
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    const broken = await requestSimulator(sim, {
      method: 'POST',
      path: '/v1/jobs',
      body: '{"scriptName": "Quick Success"',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(errorOf(broken.text)).toMatch(/not valid JSON/);
    const list = await launchOnSimulator(sim, ['Quick Success']);
    expect(list.status).toBe(400);
    expect(errorOf(list.text)).toMatch(/must be a JSON object/);
  });

  it('answers 415 when the body is not declared as JSON', async () => {
    const plain = await requestSimulator(sim, {
      method: 'POST',
      path: '/v1/jobs',
      body: '{"scriptName":"Quick Success"}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    expect(errorOf(plain.text)).toContain('Content-Type: application/json');
    const missing = await requestSimulator(sim, {
      method: 'POST',
      path: '/v1/jobs',
      body: '{"scriptName":"Quick Success"}',
    });
    expect(missing.status).toBe(415);
    const withCharset = await launchOnSimulator(
      sim,
      { scriptName: 'Quick Success' },
      { headers: { 'Content-Type': 'Application/JSON; charset=utf-8' } },
    );
    expect(withCharset.status).toBe(201);
  });

  it('answers 413 for a body over 1 MiB, with or without a declared length, and creates nothing', async () => {
    const before = sim.stats().jobsCreated;
    const big = Buffer.alloc(1024 * 1024 + 10, 0x20);
    const declared = await requestSimulator(sim, {
      method: 'POST',
      path: '/v1/jobs',
      body: big,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    expect(errorOf(declared.text)).toMatch(/1 MiB/);
    const chunked = await requestSimulator(sim, {
      method: 'POST',
      path: '/v1/jobs',
      body: big,
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    });
    expect(chunked.status).toBe(413);
    expect(sim.stats().jobsCreated).toBe(before);
  });

  it('answers 401 for a missing or unknown key without creating a job', async () => {
    const before = sim.stats().jobsCreated;
    const missing = await launchOnSimulator(sim, { scriptName: 'Quick Success' }, { key: null });
    expect(missing.status).toBe(401);
    expect(errorOf(missing.text)).toMatch(/X-API-Key/);
    const wrong = await launchOnSimulator(
      sim,
      { scriptName: 'Quick Success' },
      { key: 'not-a-key-of-this-server' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('not-a-key-of-this-server');
    expect(sim.stats().jobsCreated).toBe(before);
  });

  it('answers 403 naming the caller IP when it is not on the key allow-list', async () => {
    sim.addKey({ key: 'office-only-key', allow: ['10.0.0.0/8'], label: 'Office' });
    const refused = await launchOnSimulator(
      sim,
      { scriptName: 'Quick Success' },
      { key: 'office-only-key' },
    );
    expect(refused.status).toBe(403);
    expect(errorOf(refused.text)).toContain('127.0.0.1');
    sim.addKey({ key: 'office-and-here', allow: ['10.0.0.0/8', '127.0.0.1'], label: 'Here' });
    const allowed = await launchOnSimulator(
      sim,
      { scriptName: 'Quick Success' },
      { key: 'office-and-here' },
    );
    expect(allowed.status).toBe(201);
    expect(sim.job(JSON.parse(allowed.text).id)?.apiKeyLabel).toBe('Here');
    sim.removeKey('office-and-here');
    const removed = await launchOnSimulator(
      sim,
      { scriptName: 'Quick Success' },
      { key: 'office-and-here' },
    );
    expect(removed.status).toBe(401);
  });

  it('answers 405 for a wrong method and 404 for an unknown path', async () => {
    const get = await requestSimulator(sim, { method: 'GET', path: '/v1/jobs' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const del = await requestSimulator(sim, { method: 'DELETE', path: '/v1/adm/jobs/abc' });
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET');
    const unknown = await requestSimulator(sim, { method: 'GET', path: '/v2/whatever' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.text)).toContain('/v2/whatever');
  });
});

describe('GET /v1/adm/jobs/{id}', () => {
  async function launchAndId(body: object): Promise<string> {
    const answer = await launchOnSimulator(sim, body);
    expect(answer.status).toBe(201);
    return (JSON.parse(answer.text) as { id: string }).id;
  }

  async function statusOf(id: string): Promise<Record<string, unknown>> {
    const answer = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}` });
    expect(answer.status).toBe(200);
    return JSON.parse(answer.text) as Record<string, unknown>;
  }

  it('moves a successful job from queued to running to completed, with log, end time and exit code', async () => {
    clock = START;
    const id = await launchAndId({ scriptName: 'Quick Success', params: { folder: 'a' } });
    expect(await statusOf(id)).toMatchObject({ id, status: 'queued', log: [] });
    expect((await statusOf(id)).startedAt).toBeUndefined();

    clock = START + 10; // queuedMs 10
    const running = await statusOf(id);
    expect(running).toMatchObject({
      status: 'running',
      startedAt: new Date(START + 10).toISOString(),
    });
    expect(running.endedAt).toBeUndefined();
    expect(running.exitCode).toBeUndefined();

    clock = START + 10 + 40;
    expect(await statusOf(id)).toMatchObject({
      status: 'completed',
      exitCode: 0,
      endedAt: new Date(START + 50).toISOString(),
      params: { folder: 'a' },
      log: ['Started "Quick Success"', 'Copying 3 files', 'Done', 'Exit(0)'],
    });
    expect(sim.job(id)?.state).toBe('completed');
  });

  it('reveals log lines while the job runs', async () => {
    clock = START;
    const id = await launchAndId({ scriptName: 'Quick Success' });
    clock = START + 10 + 15; // a third of the way: the first of two lines is due at 1/3
    expect((await statusOf(id)).log).toEqual(['Started "Quick Success"', 'Copying 3 files']);
  });

  it('ends a failing job as failed with its non-zero exit code', async () => {
    clock = START;
    const id = await launchAndId({ scriptName: 'quick failure' });
    clock = START + 60;
    expect(await statusOf(id)).toMatchObject({ status: 'failed', exitCode: 3 });
  });

  it('keeps the long job running for minutes', async () => {
    clock = START;
    const id = await launchAndId({ scriptName: 'Full Archive Migration' });
    clock = START + 4 * 60 * 1000;
    expect(await statusOf(id)).toMatchObject({ status: 'running' });
    clock = START + 6 * 60 * 1000;
    expect(await statusOf(id)).toMatchObject({ status: 'completed', exitCode: 0 });
  });

  it('answers 404 for an unknown job and checks the key like the launch does', async () => {
    const unknown = await requestSimulator(sim, { path: '/v1/adm/jobs/p3fEoexohdHj6SXrvuT8H8' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown.text)).toContain('p3fEoexohdHj6SXrvuT8H8');
    const id = await launchAndId({ scriptName: 'Quick Success' });
    const noKey = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}`, key: null });
    expect(noKey.status).toBe(401);
    sim.addKey({ key: 'remote-only', allow: ['192.0.2.0/24', '2001:db8::/32'] });
    const remote = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}`, key: 'remote-only' });
    expect(remote.status).toBe(403);
  });

  it('answers in the nested and snake_case shapes when asked', async () => {
    clock = START;
    const id = await launchAndId({ scriptName: 'Quick Failure', params: { k: 'v' } });
    try {
      sim.setJobInfoShape('nested');
      clock = START + 20;
      expect(await statusOf(id)).toEqual({
        job: {
          jobId: id,
          script: {
            name: 'Quick Failure',
            id: 'QckFailure000000000002',
            filePath: '/srv/aft/tests/quick-failure.syncjs',
          },
          state: 'RUNNING',
          params: { k: 'v' },
          createdAt: new Date(START).toISOString(),
          startedAt: new Date(START + 10).toISOString(),
          log: ['Started "Quick Failure"'],
        },
      });
      sim.setJobInfoShape('snake');
      clock = START + 100;
      expect(await statusOf(id)).toEqual({
        job_id: id,
        script_name: 'Quick Failure',
        script_id: 'QckFailure000000000002',
        file_path: '/srv/aft/tests/quick-failure.syncjs',
        state: 'error',
        params: { k: 'v' },
        created_at: new Date(START).toISOString(),
        started_at: new Date(START + 10).toISOString(),
        ended_at: new Date(START + 50).toISOString(),
        exit_code: 3,
        log: [
          'Started "Quick Failure"',
          'Connecting to sftp://unreachable.example',
          'Connection refused',
          'Exit(3)',
        ],
      });
    } finally {
      sim.setJobInfoShape('flat');
    }
  });
});

describe('listening on IPv6 loopback', () => {
  it('serves https://[::1]:port and allows ::1 with the default key', async () => {
    const ipv6 = await startTestSimulator({ host: '::1' });
    try {
      expect(ipv6.url).toMatch(/^https:\/\/\[::1\]:\d+$/);
      const answer = await launchOnSimulator(ipv6, { scriptName: 'Quick Success' });
      expect(answer.status).toBe(201);
      ipv6.addKey({ key: 'ipv4-loopback-only', allow: ['127.0.0.0/8'] });
      const refused = await launchOnSimulator(
        ipv6,
        { scriptName: 'Quick Success' },
        { key: 'ipv4-loopback-only' },
      );
      expect(refused.status).toBe(403);
      expect(errorOf(refused.text)).toContain('::1');
    } finally {
      await ipv6.cleanup();
    }
  });
});

describe('listening on every interface', () => {
  it.each([
    ['0.0.0.0', 'https://127.0.0.1:'],
    ['::', 'https://[::1]:'],
  ])('with host %s the URL names %s, which the certificate names', async (host, urlStart) => {
    const wildcard = await startTestSimulator({ host });
    try {
      expect(wildcard.url).toBe(`${urlStart}${wildcard.port}`);
      // requestSimulator checks the host name against the certificate, so this proves it matches.
      const answer = await launchOnSimulator(wildcard, { scriptName: 'Quick Success' });
      expect(answer.status).toBe(201);
    } finally {
      await wildcard.cleanup();
    }
  });
});
