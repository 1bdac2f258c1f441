// Trust on first use and pinning, over real HTTPS on loopback against the simulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AftClient, ServerEndpoint } from '../../../app/core/aft/client.ts';
import { createAftClient } from '../../../app/core/aft/client.ts';
import { aftErrorFrom } from '../../helpers/aft-error.ts';
import { pinnedEndpoint, startTestSimulator, type TestSimulator } from '../../helpers/simulator.ts';
import { createTestCa, type TestCa } from './test-ca.ts';

const quick = { kind: 'scriptName', value: 'Quick Success' } as const;

let ca: TestCa;
/** A CA-issued certificate for 127.0.0.1, shared: making RSA keys is the slow part. */
let loopbackLeaf: ReturnType<TestCa['issue']>;
let client: AftClient;
const started: TestSimulator[] = [];

async function simulator(options: Parameters<typeof startTestSimulator>[0] = {}) {
  const sim = await startTestSimulator(options);
  started.push(sim);
  return sim;
}

beforeAll(() => {
  ca = createTestCa();
  loopbackLeaf = ca.issue({ ips: ['127.0.0.1'] });
});
afterEach(async () => {
  client?.close();
  await Promise.all(started.splice(0).map((sim) => sim.cleanup()));
});

describe('trust on first use', () => {
  it('probes the certificate with a bare handshake: the server sees no request and no key', async () => {
    const sim = await simulator();
    client = createAftClient();
    const probed = await client.probeCertificate(sim.url);
    expect(probed.fingerprint256).toBe(sim.fingerprint256);
    expect(probed.pem.replace(/\r/g, '').trim()).toBe(sim.certPem.replace(/\r/g, '').trim());
    expect(probed).toMatchObject({ selfSigned: true, publiclyTrusted: false });
    expect(probed.trustProblem).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(probed.subject).toContain('AFT! Simulator');
    expect(probed.subjectAltNames).toContain('127.0.0.1');
    expect(Date.parse(probed.validTo)).toBeGreaterThan(Date.now());
    const stats = sim.stats();
    expect(stats.connections).toBe(1);
    expect(stats.launchesReceived).toBe(0);
    expect(stats.statusRequests).toBe(0);
  });

  it('a pinned certificate that matches works', async () => {
    const sim = await simulator();
    client = createAftClient();
    const job = await client.launch(pinnedEndpoint(sim), quick, {});
    expect(sim.job(job.id)).toBeDefined();
  });

  it('an unpinned self-signed certificate is refused as untrusted, before anything is sent', async () => {
    const sim = await simulator();
    client = createAftClient();
    const error = await aftErrorFrom(
      client.launch({ baseUrl: sim.url, apiKey: sim.apiKey }, quick, {}),
    );
    expect(error.code).toBe('tls-untrusted');
    expect(error.requestMayHaveReachedServer).toBe(false);
    expect(error.message).toContain(sim.fingerprint256);
    expect(error.message).toContain('nothing was sent');
    expect(sim.stats().launchesReceived).toBe(0);
  });

  it('a server restarted with a NEW certificate fails closed, showing both fingerprints', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aft-tls-test-'));
    try {
      const first = await startTestSimulator({ dataDir });
      const endpoint = pinnedEndpoint(first);
      const port = first.port;
      await first.close();
      const second = await startTestSimulator({ dataDir, port, newCert: true });
      started.push(second);
      expect(second.fingerprint256).not.toBe(first.fingerprint256);

      client = createAftClient();
      const error = await aftErrorFrom(client.launch(endpoint, quick, {}));
      expect(error.code).toBe('tls-changed');
      expect(error.details).toMatchObject({
        expectedFingerprint: first.fingerprint256,
        actualFingerprint: second.fingerprint256,
      });
      expect(error.message).toContain(first.fingerprint256);
      expect(error.message).toContain(second.fingerprint256);
      expect(error.message).not.toContain(endpoint.apiKey);
      expect(second.stats().launchesReceived).toBe(0);
      // Status reads fail closed the same way.
      expect((await aftErrorFrom(client.getJob(endpoint, 'x'))).code).toBe('tls-changed');
      expect(second.stats().statusRequests).toBe(0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a pinned certificate replaced by a CA-signed one is still a change', async () => {
    const sim = await simulator({ certificate: loopbackLeaf });
    const other = ca.issue({ ips: ['127.0.0.1'] });
    const { X509Certificate } = await import('node:crypto');
    client = createAftClient({ trustedCAs: [ca.certPem] });
    const endpoint: ServerEndpoint = {
      baseUrl: sim.url,
      apiKey: sim.apiKey,
      pinnedCertificate: {
        pem: other.certPem,
        fingerprint256: new X509Certificate(other.certPem).fingerprint256,
      },
    };
    const error = await aftErrorFrom(client.launch(endpoint, quick, {}));
    expect(error.code).toBe('tls-changed');
    expect(error.details?.actualFingerprint).toBe(sim.fingerprint256);
  });
});

describe('CA-issued certificates', () => {
  it('work without a pin when the CA is trusted', async () => {
    const sim = await simulator({ certificate: loopbackLeaf });
    client = createAftClient({ trustedCAs: [ca.certPem] });
    const probed = await client.probeCertificate(sim.url);
    expect(probed).toMatchObject({ publiclyTrusted: true, selfSigned: false });
    expect(probed.issuer).toContain('AFT Launcher Test CA');
    const job = await client.launch({ baseUrl: sim.url, apiKey: sim.apiKey }, quick, {});
    expect(sim.job(job.id)).toBeDefined();
  });

  it('work with a DNS name resolved by the client', async () => {
    const sim = await simulator({ certificate: ca.issue({ dns: ['aft.test'] }) });
    client = createAftClient({
      trustedCAs: [ca.certPem],
      lookup: (_hostname, options, callback) => {
        if (typeof options === 'object' && options.all) {
          callback(null, [{ address: '127.0.0.1', family: 4 }] as never, 4);
        } else callback(null, '127.0.0.1', 4);
      },
    });
    const job = await client.launch(
      { baseUrl: `https://aft.test:${sim.port}`, apiKey: sim.apiKey },
      quick,
      {},
    );
    expect(sim.job(job.id)).toBeDefined();
  });

  it('are untrusted when the issuing CA is not trusted', async () => {
    const sim = await simulator({ certificate: loopbackLeaf });
    client = createAftClient();
    const error = await aftErrorFrom(
      client.launch({ baseUrl: sim.url, apiKey: sim.apiKey }, quick, {}),
    );
    expect(error.code).toBe('tls-untrusted');
    expect(sim.stats().launchesReceived).toBe(0);
  });

  it('for another host name are refused as wrong-host, naming the certificate names', async () => {
    const sim = await simulator({ certificate: ca.issue({ dns: ['other.example'] }) });
    client = createAftClient({ trustedCAs: [ca.certPem] });
    const probed = await client.probeCertificate(sim.url);
    expect(probed.publiclyTrusted).toBe(false);
    expect(probed.trustProblem).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    const error = await aftErrorFrom(
      client.launch({ baseUrl: sim.url, apiKey: sim.apiKey }, quick, {}),
    );
    expect(error.code).toBe('tls-wrong-host');
    expect(error.message).toContain('other.example');
    expect(error.message).toContain('"127.0.0.1"');
    expect(sim.stats().launchesReceived).toBe(0);
  });

  it('that expired are refused as expired, with the date', async () => {
    const expired = ca.issue({
      ips: ['127.0.0.1'],
      notBefore: new Date(Date.now() - 40 * 86_400_000),
      notAfter: new Date(Date.now() - 10 * 86_400_000),
    });
    const sim = await simulator({ certificate: expired });
    client = createAftClient({ trustedCAs: [ca.certPem] });
    const error = await aftErrorFrom(
      client.launch({ baseUrl: sim.url, apiKey: sim.apiKey }, quick, {}),
    );
    expect(error.code).toBe('tls-expired');
    expect(error.details?.certificateValidTo).toBeDefined();
    expect(error.message).toContain(error.details!.certificateValidTo!);
  });

  it('can also be pinned (the leaf alone is the trust anchor)', async () => {
    const sim = await simulator({ certificate: loopbackLeaf });
    client = createAftClient();
    const job = await client.launch(pinnedEndpoint(sim), quick, {});
    expect(sim.job(job.id)).toBeDefined();
  });
});

afterAll(() => client?.close());
