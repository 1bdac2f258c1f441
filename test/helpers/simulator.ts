// Starting the AFT! simulator in tests: a free loopback port, a fresh temp data folder, fast
// scripts, and a request helper that trusts the simulator's own certificate (never skips TLS checks).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerEndpoint } from '../../app/core/aft/client.ts';
import {
  createSelfSignedCertificate,
  type CertificateMaterial,
} from '../../app/simulator/certificate.ts';
import { CERTIFICATE_FILE, PRIVATE_KEY_FILE } from '../../app/simulator/data-dir.ts';
import {
  DEMO_SCRIPTS,
  startSimulator,
  type ScriptDefinition,
  type Simulator,
  type SimulatorOptions,
} from '../../app/simulator/simulator.ts';

/** Scripts that end within tens of ms, plus one that runs for minutes, for tests. */
export const TEST_SCRIPTS: ScriptDefinition[] = [
  {
    name: 'Quick Success',
    id: 'QckSuccess000000000001',
    filePath: '/srv/aft/tests/quick-success.syncjs',
    queuedMs: 10,
    durationMs: 40,
    outcome: 'success',
    log: ['Copying 3 files', 'Done'],
  },
  {
    name: 'Quick Failure',
    id: 'QckFailure000000000002',
    filePath: '/srv/aft/tests/quick-failure.syncjs',
    queuedMs: 10,
    durationMs: 40,
    outcome: 'failure',
    exitCode: 3,
    log: ['Connecting to sftp://unreachable.example', 'Connection refused'],
  },
  {
    name: 'Short Job',
    id: 'ShortJob00000000000003',
    queuedMs: 20,
    durationMs: 200,
    outcome: 'success',
  },
  {
    name: 'Long Job',
    id: 'LongJob000000000000004',
    queuedMs: 10,
    durationMs: 10 * 60 * 1000,
    outcome: 'success',
  },
];

export interface TestSimulator extends Simulator {
  dataDir: string;
  /** Closes the simulator and deletes its data folder. */
  cleanup(): Promise<void>;
}

// Making an RSA key takes a few hundred ms; one per test process is enough. It is written into
// each fresh data folder, so the simulator still goes through its "kept certificate" path.
let sharedCertificate: CertificateMaterial | undefined;

export async function startTestSimulator(
  overrides: Partial<SimulatorOptions> = {},
): Promise<TestSimulator> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'aft-sim-test-')));
  if (
    overrides.certificate === undefined &&
    !overrides.newCert &&
    overrides.dataDir === undefined
  ) {
    sharedCertificate ??= createSelfSignedCertificate();
    await writeFile(join(dataDir, CERTIFICATE_FILE), sharedCertificate.certPem);
    await writeFile(join(dataDir, PRIVATE_KEY_FILE), sharedCertificate.keyPem, { mode: 0o600 });
  }
  const simulator = await startSimulator({
    port: 0,
    scripts: [...TEST_SCRIPTS, ...DEMO_SCRIPTS],
    ...overrides,
    dataDir,
  });
  // Assigned onto the simulator itself so its live getters (certPem after a new-cert restart) stay live.
  return Object.assign(simulator, {
    dataDir,
    cleanup: async () => {
      await simulator.close();
      if (overrides.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * The simulator as a client reaches it: its key, its certificate pinned. Read at each call, so
 * after a restart with a new certificate it pins the new one.
 */
export function pinnedEndpoint(
  simulator: Pick<Simulator, 'url' | 'apiKey' | 'certPem' | 'fingerprint256'>,
  overrides: Partial<ServerEndpoint> = {},
): ServerEndpoint {
  return {
    baseUrl: simulator.url,
    apiKey: simulator.apiKey,
    pinnedCertificate: { pem: simulator.certPem, fingerprint256: simulator.fingerprint256 },
    ...overrides,
  };
}

export interface SimulatorAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SimulatorRequest {
  method?: string;
  path: string;
  /** Default: the simulator's own key; null sends no X-API-Key header. */
  key?: string | null;
  /** An object is sent as JSON with Content-Type: application/json. */
  body?: string | Buffer | object;
  headers?: Record<string, string>;
  agent?: https.Agent | false;
}

/** One HTTPS request to the simulator, trusting exactly its certificate. */
export function requestSimulator(
  simulator: Pick<Simulator, 'url' | 'certPem' | 'apiKey'>,
  request: SimulatorRequest,
): Promise<SimulatorAnswer> {
  const headers: Record<string, string> = { ...request.headers };
  const key = request.key === undefined ? simulator.apiKey : request.key;
  if (key !== null) headers['X-API-Key'] = key;
  let payload: string | Buffer | undefined;
  if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
    payload = request.body;
  } else if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    headers['Content-Type'] ??= 'application/json';
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(request.path, simulator.url),
      {
        method: request.method ?? (payload === undefined ? 'GET' : 'POST'),
        headers,
        ca: simulator.certPem,
        agent: request.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** POST /v1/jobs with a JSON body. */
export function launchOnSimulator(
  simulator: Pick<Simulator, 'url' | 'certPem' | 'apiKey'>,
  body: object,
  options: Omit<SimulatorRequest, 'path' | 'body' | 'method'> = {},
): Promise<SimulatorAnswer> {
  return requestSimulator(simulator, { ...options, method: 'POST', path: '/v1/jobs', body });
}
