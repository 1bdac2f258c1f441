import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  launchOnSimulator,
  requestSimulator,
  startTestSimulator,
  type TestSimulator,
} from '../helpers/simulator.ts';

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterEach(() => {
  sim.clearFaults();
  sim.setJobInfoShape('flat');
});
afterAll(async () => {
  await sim.cleanup();
});

async function launchId(body: object = { scriptName: 'Long Job' }): Promise<string> {
  const answer = await launchOnSimulator(sim, body);
  expect(answer.status).toBe(201);
  return (JSON.parse(answer.text) as { id: string }).id;
}

describe('fault injection', () => {
  it('delay: creates the job at once and answers after the delay', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'delay', ms: 300 } });
    const before = sim.stats().jobsCreated;
    const startedAt = Date.now();
    let answered = false;
    const pending = launchOnSimulator(sim, { scriptName: 'Quick Success' }).then((answer) => {
      answered = true;
      return answer;
    });
    await expect.poll(() => sim.stats().jobsCreated, { interval: 5 }).toBe(before + 1);
    expect(answered).toBe(false);
    const answer = await pending;
    expect(answer.status).toBe(201);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
  });

  it('reset-before-read: drops the connection, creates no job and counts no launch', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'reset-before-read' }, times: 1 });
    const before = sim.stats();
    await expect(launchOnSimulator(sim, { scriptName: 'Quick Success' })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated);
    expect(sim.stats().launchesReceived).toBe(before.launchesReceived);
    // times: 1 — the next launch goes through.
    expect((await launchOnSimulator(sim, { scriptName: 'Quick Success' })).status).toBe(201);
  });

  it('reset-on-connect: resets new connections before TLS, counts them, spares open ones', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      // A kept-alive connection opened before the rule is not affected by it.
      expect((await requestSimulator(sim, { path: '/v1/adm/jobs/none', agent })).status).toBe(404);
      sim.injectFault({ endpoint: 'any', fault: { kind: 'reset-on-connect' }, times: 2 });
      const before = sim.stats();
      for (let attempt = 0; attempt < 2; attempt += 1) {
        await expect(launchOnSimulator(sim, { scriptName: 'Quick Success' })).rejects.toMatchObject(
          { code: 'ECONNRESET' },
        );
      }
      expect(
        (await launchOnSimulator(sim, { scriptName: 'Quick Success' }, { agent })).status,
      ).toBe(201);
      const during = sim.stats();
      expect(during.connectionsReset - before.connectionsReset).toBe(2);
      expect(during.connections - before.connections).toBe(2);
      expect(during.launchesReceived - before.launchesReceived).toBe(1);
      expect(during.jobsCreated - before.jobsCreated).toBe(1);
      // times: 2 is spent: the next new connection goes through.
      expect((await launchOnSimulator(sim, { scriptName: 'Quick Success' })).status).toBe(201);
      expect(sim.stats().connectionsReset).toBe(during.connectionsReset);
    } finally {
      agent.destroy();
    }
  });

  it('reset-on-connect: refuses a rule limited to an endpoint, key or script', () => {
    const fault = { kind: 'reset-on-connect' } as const;
    for (const rule of [
      { endpoint: 'launch', fault },
      { endpoint: 'any', key: sim.apiKey, fault },
      { endpoint: 'any', script: 'Quick Success', fault },
    ] as const) {
      expect(() => sim.injectFault(rule)).toThrow(
        /cannot be limited to an endpoint, key or script: use endpoint 'any'/,
      );
    }
    // None of them was added: new connections still go through.
    return expect(launchOnSimulator(sim, { scriptName: 'Quick Success' })).resolves.toMatchObject({
      status: 201,
    });
  });

  it('reset-after-read: creates the job with its params, then drops the connection', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'reset-after-read' } });
    const before = sim.stats();
    await expect(
      launchOnSimulator(sim, { scriptName: 'Quick Success', params: { run: 'reset' } }),
    ).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(sim.stats().jobsCreated).toBe(before.jobsCreated + 1);
    expect(sim.stats().launchesReceived).toBe(before.launchesReceived + 1);
    expect(sim.jobs().at(-1)).toMatchObject({
      scriptName: 'Quick Success',
      params: { run: 'reset' },
    });
  });

  it('http-status: answers 5xx with plain text or JSON and creates no job', async () => {
    const before = sim.stats().jobsCreated;
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'http-status', status: 502 }, times: 1 });
    const plain = await launchOnSimulator(sim, { scriptName: 'Quick Success' });
    expect(plain.status).toBe(502);
    expect(plain.headers['content-type']).toMatch(/^text\/plain/);
    expect(plain.text).toBe('502 Bad Gateway');
    sim.injectFault({
      endpoint: 'any',
      fault: {
        kind: 'http-status',
        status: 500,
        body: '{"message":"database is locked"}',
        contentType: 'application/json',
      },
      times: 2,
    });
    const json = await launchOnSimulator(sim, { scriptName: 'Quick Success' });
    expect(json.status).toBe(500);
    expect(JSON.parse(json.text)).toEqual({ message: 'database is locked' });
    const status = await requestSimulator(sim, { path: '/v1/adm/jobs/anything' });
    expect(status.status).toBe(500);
    expect(sim.stats().jobsCreated).toBe(before);
    expect((await launchOnSimulator(sim, { scriptName: 'Quick Success' })).status).toBe(201);
  });

  it('malformed-json: answers 201 and 200 with a broken body; the job is created', async () => {
    const id = await launchId();
    sim.injectFault({ endpoint: 'any', fault: { kind: 'malformed-json' } });
    const before = sim.stats().jobsCreated;
    const launch = await launchOnSimulator(sim, { scriptName: 'Quick Success' });
    expect(launch.status).toBe(201);
    expect(() => JSON.parse(launch.text)).toThrow();
    expect(sim.stats().jobsCreated).toBe(before + 1);
    const status = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}` });
    expect(status.status).toBe(200);
    expect(() => JSON.parse(status.text)).toThrow();
  });

  it.each(['flat', 'nested', 'snake'] as const)(
    'no-id: answers 201 with a %s job info lacking any ID; the job is created',
    async (shape) => {
      sim.setJobInfoShape(shape);
      sim.injectFault({ endpoint: 'launch', fault: { kind: 'no-id' } });
      const before = sim.stats().jobsCreated;
      const launch = await launchOnSimulator(sim, { scriptName: 'Quick Success' });
      expect(launch.status).toBe(201);
      const info = JSON.parse(launch.text) as Record<string, unknown>;
      const levels = [info, (info.job ?? {}) as Record<string, unknown>];
      for (const level of levels) {
        for (const idField of ['id', 'jobId', 'job_id']) expect(level).not.toHaveProperty(idField);
      }
      expect(launch.text).toContain('Quick Success');
      expect(launch.headers.location).toMatch(/^\/v1\/adm\/jobs\//);
      expect(sim.stats().jobsCreated).toBe(before + 1);
    },
  );

  it.each([401, 403, 404] as const)(
    'status-refuses-key %i: the launch works, the status endpoint refuses that key only',
    async (status) => {
      sim.addKey({ key: 'second-key', allow: ['127.0.0.1'] });
      sim.injectFault({
        endpoint: 'status',
        key: sim.apiKey,
        fault: { kind: 'status-refuses-key', status },
      });
      const id = await launchId();
      const refused = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}` });
      expect(refused.status).toBe(status);
      expect(JSON.parse(refused.text)).toHaveProperty('error');
      const other = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}`, key: 'second-key' });
      expect(other.status).toBe(200);
      sim.removeKey('second-key');
    },
  );

  it('matches rules by script name case-insensitively, and the remover removes the rule', async () => {
    const remove = sim.injectFault({
      endpoint: 'launch',
      script: 'quick FAILURE',
      fault: { kind: 'http-status', status: 503, body: 'Service Unavailable' },
    });
    expect((await launchOnSimulator(sim, { scriptName: 'Quick Failure' })).status).toBe(503);
    expect((await launchOnSimulator(sim, { scriptId: 'QckFailure000000000002' })).status).toBe(503);
    expect((await launchOnSimulator(sim, { scriptName: 'Quick Success' })).status).toBe(201);
    remove();
    expect((await launchOnSimulator(sim, { scriptName: 'Quick Failure' })).status).toBe(201);
  });

  it('matches status rules by the script of the job asked about', async () => {
    const longId = await launchId({ scriptName: 'Long Job' });
    const shortId = await launchId({ scriptName: 'Short Job' });
    sim.injectFault({
      endpoint: 'status',
      script: 'Long Job',
      fault: { kind: 'reset-after-read' },
    });
    await expect(requestSimulator(sim, { path: `/v1/adm/jobs/${longId}` })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
    expect((await requestSimulator(sim, { path: `/v1/adm/jobs/${shortId}` })).status).toBe(200);
  });

  it('counts down `times` across requests', async () => {
    sim.injectFault({ endpoint: 'launch', fault: { kind: 'http-status', status: 500 }, times: 2 });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      statuses.push((await launchOnSimulator(sim, { scriptName: 'Quick Success' })).status);
    }
    expect(statuses).toEqual([500, 500, 201]);
  });
});

describe('restart and stats', () => {
  it('restart keeps the port, certificate, keys and jobs, and drops every open socket', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const id = await launchId({ scriptName: 'Long Job', params: { step: 1 } });
      const warm = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}`, agent });
      expect(warm.status).toBe(200);
      expect(sim.stats().openSockets).toBeGreaterThan(0);
      const { port, fingerprint256 } = sim;
      await sim.restart();
      expect(sim.stats().openSockets).toBe(0);
      expect(sim.port).toBe(port);
      expect(sim.fingerprint256).toBe(fingerprint256);
      const after = await requestSimulator(sim, { path: `/v1/adm/jobs/${id}` });
      expect(after.status).toBe(200);
      expect(JSON.parse(after.text)).toMatchObject({ id, params: { step: 1 } });
    } finally {
      agent.destroy();
    }
  });

  it('restart with newCert serves a new certificate (kept in dataDir) and keeps the jobs', async () => {
    const id = await launchId({ scriptName: 'Long Job' });
    const oldPem = sim.certPem;
    const oldFingerprint = sim.fingerprint256;
    await sim.restart({ newCert: true });
    expect(sim.fingerprint256).not.toBe(oldFingerprint);
    expect(sim.fingerprint256).toBe(new X509Certificate(sim.certPem).fingerprint256);
    expect(await readFile(join(sim.dataDir, 'certificate.pem'), 'utf8')).toBe(sim.certPem);
    // A client still pinning the old certificate is refused by its own verification.
    await expect(
      requestSimulator(
        { url: sim.url, apiKey: sim.apiKey, certPem: oldPem },
        {
          path: `/v1/adm/jobs/${id}`,
        },
      ),
    ).rejects.toThrow(/self.signed/i);
    expect((await requestSimulator(sim, { path: `/v1/adm/jobs/${id}` })).status).toBe(200);
  });

  it('counts launches received, jobs created, status requests and connections', async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = sim.stats();
      const first = await launchOnSimulator(sim, { scriptName: 'Quick Success' }, { agent });
      const id = (JSON.parse(first.text) as { id: string }).id;
      await launchOnSimulator(sim, { scriptName: 'Unknown' }, { agent });
      await requestSimulator(sim, { path: `/v1/adm/jobs/${id}`, agent });
      await requestSimulator(sim, { path: `/v1/adm/jobs/${id}`, agent });
      const after = sim.stats();
      expect(after.launchesReceived - before.launchesReceived).toBe(2);
      expect(after.jobsCreated - before.jobsCreated).toBe(1);
      expect(after.statusRequests - before.statusRequests).toBe(2);
      // Keep-alive: four requests over one connection.
      expect(after.connections - before.connections).toBe(1);
      expect(after.openSockets).toBe(1);
      expect(after.maxOpenSockets).toBeGreaterThanOrEqual(1);
    } finally {
      agent.destroy();
    }
    await expect.poll(() => sim.stats().openSockets, { interval: 5 }).toBe(0);
  });
});
