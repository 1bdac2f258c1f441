import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../app/simulator/certificate.ts';
import { startSimulator, type Simulator } from '../../app/simulator/simulator.ts';
import { requestSimulator } from '../helpers/simulator.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dataDir: string;
const started: Simulator[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'aft-sim-cert-'));
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((simulator) => simulator.close()));
  await rm(dataDir, { recursive: true, force: true });
});

async function start(
  options: { newCert?: boolean; certificate?: { certPem: string; keyPem: string } } = {},
) {
  const simulator = await startSimulator({ port: 0, dataDir, ...options });
  started.push(simulator);
  return simulator;
}

/** The certificate a TLS client actually receives, checked against the given trust anchor. */
function peerFingerprint(url: string, ca: string, servername?: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: hostname, port, path: '/v1/jobs', method: 'GET', ca, agent: false, servername },
      (res) => {
        const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
        res.resume();
        res.on('end', () => resolve(fingerprint));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the simulator certificate', () => {
  it('is made on first start, kept in the data folder, and reused after a restart of the process', async () => {
    const first = await start();
    expect(first.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(first.fingerprint256).toBe(new X509Certificate(first.certPem).fingerprint256);
    expect(await peerFingerprint(first.url, first.certPem)).toBe(first.fingerprint256);
    await first.close();

    const second = await start();
    expect(second.fingerprint256).toBe(first.fingerprint256);
    expect(second.apiKey).toBe(first.apiKey);
    // Private material is readable by its owner only.
    for (const file of await readdir(dataDir)) {
      if (file !== 'certificate.pem')
        expect((await stat(join(dataDir, file))).mode & 0o077).toBe(0);
    }
  });

  it('is replaced with newCert, keeping the API key', async () => {
    const first = await start();
    await first.close();
    const renewed = await start({ newCert: true });
    expect(renewed.fingerprint256).not.toBe(first.fingerprint256);
    expect(renewed.apiKey).toBe(first.apiKey);
    expect(await peerFingerprint(renewed.url, renewed.certPem)).toBe(renewed.fingerprint256);
  });

  it('names 127.0.0.1, localhost and ::1, and is verified (not skipped) by clients', async () => {
    const simulator = await start();
    const san = new X509Certificate(simulator.certPem).subjectAltName ?? '';
    expect(san).toContain('IP Address:127.0.0.1');
    expect(san).toContain('DNS:localhost');
    expect(san).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)/);
    expect(await peerFingerprint(simulator.url, simulator.certPem, 'localhost')).toBe(
      simulator.fingerprint256,
    );
    const untrusted = createSelfSignedCertificate().certPem;
    await expect(peerFingerprint(simulator.url, untrusted)).rejects.toThrow(/self.signed/i);
  });

  it('serves a given certificate instead, without writing one', async () => {
    const given = createSelfSignedCertificate();
    const simulator = await start({ certificate: given });
    expect(simulator.certPem).toBe(given.certPem);
    expect(await peerFingerprint(simulator.url, given.certPem)).toBe(simulator.fingerprint256);
    expect(await readdir(dataDir)).not.toContain('certificate.pem');
  });
});

describe('the simulator command', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function runCli(args: string[]): {
    child: ChildProcessWithoutNullStreams;
    firstLine: Promise<string>;
  } {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'app/simulator/main.ts', '--port', '0', '--data-dir', dataDir, ...args],
      { cwd: REPO_ROOT },
    );
    children.push(child);
    const lines = createInterface({ input: child.stdout });
    const firstLine = new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    });
    // Tests that expect the command to fail never read its first line.
    firstLine.catch(() => undefined);
    return { child, firstLine };
  }

  function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
    if (child.exitCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  it('prints one JSON object as its first line with --json, serves it, and stops on SIGTERM', async () => {
    const { child, firstLine } = runCli(['--json']);
    const printed = JSON.parse(await firstLine) as Record<string, string>;
    expect(Object.keys(printed).sort()).toEqual(['apiKey', 'fingerprint256', 'url']);
    expect(printed.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const certPem = await readFile(join(dataDir, 'certificate.pem'), 'utf8');
    expect(printed.fingerprint256).toBe(new X509Certificate(certPem).fingerprint256);
    const launch = await requestSimulator(
      { url: printed.url ?? '', apiKey: printed.apiKey ?? '', certPem },
      { path: '/v1/jobs', body: { scriptName: 'My Backup Job' } },
    );
    expect(launch.status).toBe(201);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('prints a friendly block with the key and the fingerprint of a --new-cert certificate', async () => {
    const first = runCli(['--json']);
    const { fingerprint256, apiKey } = JSON.parse(await first.firstLine) as Record<string, string>;
    first.child.kill('SIGTERM');
    await exitCode(first.child);

    const renewed = runCli(['--new-cert']);
    let banner = '';
    renewed.child.stdout.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    await expect.poll(() => banner, { timeout: 10_000 }).toContain('Press Ctrl-C to stop.');
    const certPem = await readFile(join(dataDir, 'certificate.pem'), 'utf8');
    const renewedFingerprint = new X509Certificate(certPem).fingerprint256;
    expect(renewedFingerprint).not.toBe(fingerprint256);
    expect(banner).toContain(`SHA-256 ${renewedFingerprint}`);
    expect(banner).toContain(`API key:      ${apiKey}`);
    expect(banner).toMatch(/URL: +https:\/\/127\.0\.0\.1:\d+/);
    renewed.child.kill('SIGINT');
    expect(await exitCode(renewed.child)).toBe(0);
  });

  it('explains a bad --port', async () => {
    const { child } = runCli(['--port', 'many']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toContain('--port must be a whole number');
  });
});
