// `npm run simulator`: the AFT! simulator as a command, for demos and for scripts.
// With --json the first stdout line is one JSON object {url, apiKey, fingerprint256}.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_PORT,
  startSimulator,
  urlHostFor,
  type RequestLogEntry,
  type Simulator,
} from './simulator.ts';

const USAGE = `Usage: npm run simulator -- [options]

  --port N         port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host HOST      address to listen on (default 127.0.0.1)
  --data-dir DIR   where the certificate and API key are kept (default ~/.aft-simulator)
  --new-cert       replace the kept certificate (clients must confirm the new fingerprint)
  --json           print {"url","apiKey","fingerprint256"} as the first stdout line
  --help           show this help`;

interface CliOptions {
  port: number;
  host: string;
  dataDir: string;
  newCert: boolean;
  json: boolean;
}

function parseCommandLine(args: string[]): CliOptions | { help: true } {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'new-cert': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return { help: true };
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535 (got "${values.port}").`);
  }
  return {
    port,
    host: values.host ?? '127.0.0.1',
    dataDir: resolve(values['data-dir'] ?? join(homedir(), '.aft-simulator')),
    newCert: values['new-cert'] ?? false,
    json: values.json ?? false,
  };
}

/** Why the URL shows a loopback address when listening on every interface. */
function wildcardNote(listenHost: string): string {
  const urlHost = urlHostFor(listenHost);
  if (urlHost === listenHost) return '';
  return `
                Listening on every interface (${listenHost}); the URL uses ${urlHost}
                because the certificate names only 127.0.0.1, ::1 and localhost.
                Other machines can use this machine's address if they pin the
                certificate by its fingerprint (AFT! Launcher does); a host-name
                check (curl --cacert) will fail for any other address.`;
}

function friendlyBanner(simulator: Simulator, options: CliOptions): string {
  const host = new URL(simulator.url).host;
  const names = simulator
    .scripts()
    .map((script) => `    - ${script.name} (${script.outcome}, ${script.durationMs / 1000} s)`)
    .join('\n');
  return `AFT! simulator is running

  URL:          ${simulator.url}${wildcardNote(options.host)}
  API key:      ${simulator.apiKey}
  Certificate:  SHA-256 ${simulator.fingerprint256}
  Data folder:  ${options.dataDir}

  Scripts:
${names}

  Try it (trusting this certificate, not skipping the check):
    curl --cacert "${join(options.dataDir, 'certificate.pem')}" -X POST ${simulator.url}/v1/jobs \\
      -H "X-API-Key: ${simulator.apiKey}" -H "Content-Type: application/json" \\
      -d '{"scriptName":"My Backup Job"}'
    aft start -n "My Backup Job" -a "${simulator.apiKey}" --host "${host}"

Press Ctrl-C to stop.
`;
}

function describeRequest(entry: RequestLogEntry): string {
  const details = [entry.script, entry.jobId].filter((part) => part !== undefined).join(' ');
  return `${new Date().toISOString()} ${entry.method} ${entry.path} -> ${entry.outcome}${details ? ` (${details})` : ''}`;
}

async function main(): Promise<void> {
  let options: CliOptions | { help: true };
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if ('help' in options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const cli = options;
  // With --json, stdout carries only the JSON line; the request log goes to stderr.
  const logStream = cli.json ? process.stderr : process.stdout;
  let simulator: Simulator;
  try {
    simulator = await startSimulator({
      host: cli.host,
      port: cli.port,
      dataDir: cli.dataDir,
      newCert: cli.newCert,
      onRequest: (entry) => logStream.write(`${describeRequest(entry)}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE'
        ? `Port ${cli.port} on ${cli.host} is already in use (another simulator or AFT! server?). Stop it, or pick another port with --port N (0 picks a free one).`
        : `The simulator could not start: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
    return;
  }
  if (cli.json) {
    const { url, apiKey, fingerprint256 } = simulator;
    process.stdout.write(`${JSON.stringify({ url, apiKey, fingerprint256 })}\n`);
  } else {
    process.stdout.write(friendlyBanner(simulator, cli));
  }
  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void simulator.close().then(() => {
      if (!cli.json) process.stdout.write('AFT! simulator stopped.\n');
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
