// Demo mode: the built-in AFT! simulator, started in-process on loopback for a person who has
// no AFT! server at hand. Each start gets a fresh API key; the certificate is kept in the data
// folder so the pin the services made stays valid across restarts.
import { randomBytes } from 'node:crypto';
import { startSimulator } from '../../simulator/simulator.ts';

export interface DemoServer {
  url: string;
  apiKey: string;
  certPem: string;
  fingerprint256: string;
  close(): Promise<void>;
}

export async function startDemoServer(dataDir: string): Promise<DemoServer> {
  const apiKey = randomBytes(24).toString('base64url');
  const simulator = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    keys: [{ key: apiKey, allow: ['127.0.0.0/8', '::1'], label: 'AFT! Launcher demo key' }],
  });
  return {
    url: simulator.url,
    apiKey: simulator.apiKey,
    certPem: simulator.certPem,
    fingerprint256: simulator.fingerprint256,
    close: () => simulator.close(),
  };
}
