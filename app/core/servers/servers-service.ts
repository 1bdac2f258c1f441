// AFT! servers: trust on first use (probe, show the certificate, pin exactly what the person
// confirmed), the write-only API key, connection tests, the built-in demo server, and opening
// the server's web UI.
import { X509Certificate } from 'node:crypto';
import type { AftClient, ServerEndpoint } from '../aft/client.ts';
import { isAftError } from '../aft/errors.ts';
import { parseServerUrl } from '../aft/server-url.ts';
import { describeCertificate, fingerprintsEqual, type ProbedCertificate } from '../aft/tls.ts';
import type { CertificateInfo, ConnectionTestResult, ServerSummary } from '../../shared/model.ts';
import type { WindowEventSink } from '../ports.ts';
import type { SecretVault } from '../secrets/secret-vault.ts';
import { ServiceError, notFound } from '../service-error.ts';
import type { DocumentStore } from '../store/document-store.ts';
import type { SettingsDocument, StoredPin, StoredServer } from '../store/settings-document.ts';

/** How long a probed certificate may be pinned without probing again. */
export const PROBE_KEPT_MS = 10 * 60 * 1000;

export interface DemoServer {
  baseUrl: string;
  apiKey: string;
  certPem: string;
  fingerprint256: string;
}

export interface ServersServiceDeps {
  store: DocumentStore<SettingsDocument>;
  vault: SecretVault;
  client: Pick<AftClient, 'probeCertificate' | 'testConnection'>;
  startDemoServer: () => Promise<DemoServer>;
  /** Opens a URL in the person's browser; only ever given validated https URLs. */
  openExternal: (url: string) => Promise<void> | void;
  emit: WindowEventSink;
  now: () => number;
  newId: () => string;
}

export interface ServerAddInput {
  name: string;
  baseUrl: string;
  apiKey: string;
  confirmedFingerprint256?: string;
}

export type ServersService = ReturnType<typeof createServersService>;

function pinOf(certificate: ProbedCertificate): StoredPin {
  return {
    pem: certificate.pem,
    fingerprint256: certificate.fingerprint256,
    subject: certificate.subject,
    issuer: certificate.issuer,
    validFrom: certificate.validFrom,
    validTo: certificate.validTo,
  };
}

export function toServerSummary(server: StoredServer): ServerSummary {
  const summary: ServerSummary = {
    id: server.id,
    name: server.name,
    baseUrl: server.baseUrl,
    hasApiKey: server.encryptedApiKey !== undefined,
    isDemo: server.isDemo,
  };
  if (server.pinnedCertificate) {
    const { pem: _pem, ...pinSummary } = server.pinnedCertificate;
    summary.pinnedCertificate = pinSummary;
  }
  return summary;
}

function connectionTestFailure(error: unknown): ConnectionTestResult {
  if (!isAftError(error)) throw error;
  const unreachable =
    error.code === 'unreachable' ||
    error.code === 'invalid-url' ||
    (error.code === 'timeout' && error.details?.timeoutPhase === 'connect');
  return {
    reachable: !unreachable,
    tlsOk: !unreachable && !error.code.startsWith('tls-'),
    keyAccepted: error.code === 'auth' ? false : null,
    message: error.message,
  };
}

export function createServersService(deps: ServersServiceDeps) {
  const { store, vault, client } = deps;
  const servers = store.document.servers;
  const probed = new Map<string, { certificate: ProbedCertificate; at: number }>();

  function find(id: string): StoredServer {
    const server = servers.find((candidate) => candidate.id === id);
    if (!server) throw notFound('This server');
    return server;
  }

  function changed(): void {
    store.save();
    deps.emit('serversChanged', null);
  }

  async function probe(baseUrl: string): Promise<ProbedCertificate> {
    const { origin } = parseServerUrl(baseUrl);
    const certificate = await client.probeCertificate(origin);
    probed.set(origin, { certificate, at: deps.now() });
    return certificate;
  }

  /**
   * The pin for what the person confirmed: the certificate they were shown (probed again if
   * that was long ago), and only if it has the fingerprint they confirmed.
   */
  async function confirmedPin(
    origin: string,
    confirmedFingerprint256: string | undefined,
  ): Promise<StoredPin | undefined> {
    const kept = probed.get(origin);
    const certificate =
      kept && deps.now() - kept.at <= PROBE_KEPT_MS ? kept.certificate : await probe(origin);
    if (confirmedFingerprint256 === undefined) {
      if (certificate.publiclyTrusted) return undefined;
      throw new ServiceError(
        'confirmation-required',
        `The certificate of ${origin} is not issued by a publicly trusted authority (it is probably the server's own, self-signed one). Compare its fingerprint with the one the AFT! server shows, and confirm it to trust it.`,
        { confirmedFingerprint256: 'Confirm the certificate fingerprint.' },
      );
    }
    if (!fingerprintsEqual(certificate.fingerprint256, confirmedFingerprint256)) {
      throw new ServiceError(
        'certificate-changed',
        `The certificate ${origin} presents now is not the one you confirmed, so it was not trusted. Confirmed SHA-256 fingerprint: ${confirmedFingerprint256}. Presented now: ${certificate.fingerprint256}. Check the certificate again.`,
        { confirmedFingerprint256: 'This is not the fingerprint the server presents now.' },
      );
    }
    return pinOf(certificate);
  }

  function refuseDuplicateAddress(origin: string, exceptId?: string): void {
    const existing = servers.find((server) => server.baseUrl === origin && server.id !== exceptId);
    if (existing) {
      throw new ServiceError(
        'duplicate',
        `The server ${origin} is already saved as "${existing.name}".`,
        { baseUrl: 'This server is already saved.' },
      );
    }
  }

  return {
    list(): ServerSummary[] {
      return servers.map(toServerSummary);
    },

    get(id: string): StoredServer {
      return find(id);
    },

    find(id: string): StoredServer | undefined {
      return servers.find((server) => server.id === id);
    },

    async probe(baseUrl: string): Promise<CertificateInfo> {
      const { pem: _pem, trustProblem: _trustProblem, ...info } = await probe(baseUrl);
      return info;
    },

    async add(input: ServerAddInput): Promise<ServerSummary> {
      const { origin } = parseServerUrl(input.baseUrl);
      refuseDuplicateAddress(origin);
      const pinnedCertificate = await confirmedPin(origin, input.confirmedFingerprint256);
      const encryptedApiKey = await vault.encrypt(input.apiKey);
      // Again after the awaits: a second Add of the same address may have finished meanwhile.
      refuseDuplicateAddress(origin);
      const server: StoredServer = {
        id: deps.newId(),
        name: input.name,
        baseUrl: origin,
        encryptedApiKey,
        isDemo: false,
      };
      if (pinnedCertificate) server.pinnedCertificate = pinnedCertificate;
      servers.push(server);
      changed();
      return toServerSummary(server);
    },

    rename(id: string, name: string): ServerSummary {
      const server = find(id);
      server.name = name;
      changed();
      return toServerSummary(server);
    },

    async repin(id: string, confirmedFingerprint256: string): Promise<ServerSummary> {
      const server = find(id);
      const pin = await confirmedPin(server.baseUrl, confirmedFingerprint256);
      if (pin) server.pinnedCertificate = pin;
      changed();
      return toServerSummary(server);
    },

    async setKey(id: string, apiKey: string): Promise<ServerSummary> {
      const server = find(id);
      server.encryptedApiKey = await vault.encrypt(apiKey);
      changed();
      return toServerSummary(server);
    },

    /** What the client needs to talk to a server, with its key decrypted. */
    async endpoint(server: StoredServer): Promise<ServerEndpoint> {
      if (server.encryptedApiKey === undefined) {
        throw new ServiceError(
          'no-api-key',
          `No API key is set for the server "${server.name}". Create one in the AFT! web UI (Settings > API Keys) and enter it in this server's settings.`,
        );
      }
      const endpoint: ServerEndpoint = {
        baseUrl: server.baseUrl,
        apiKey: await vault.decrypt(server.encryptedApiKey),
      };
      if (server.pinnedCertificate) {
        endpoint.pinnedCertificate = {
          pem: server.pinnedCertificate.pem,
          fingerprint256: server.pinnedCertificate.fingerprint256,
        };
      }
      return endpoint;
    },

    async test(id: string): Promise<ConnectionTestResult> {
      const endpoint = await this.endpoint(find(id));
      try {
        const check = await client.testConnection(endpoint);
        return {
          reachable: true,
          tlsOk: true,
          keyAccepted: check.key === 'accepted' ? true : null,
          message: check.summary,
        };
      } catch (error) {
        return connectionTestFailure(error);
      }
    },

    /** Refused while saved jobs use the server: they would be left pointing at nothing. */
    remove(id: string): void {
      const server = find(id);
      const users = store.document.jobs.filter((job) => job.serverId === id);
      if (users.length > 0) {
        const names = users.slice(0, 5).map((job) => `"${job.name}"`);
        const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
        throw new ServiceError(
          'in-use',
          `The server "${server.name}" is used by ${users.length === 1 ? 'the saved job' : 'the saved jobs'} ${names.join(', ')}${more}. Delete those jobs or move them to another server first.`,
        );
      }
      servers.splice(servers.indexOf(server), 1);
      changed();
    },

    /** Starts the built-in simulator and saves it (again, with its new address, key and pin). */
    async startDemo(): Promise<ServerSummary> {
      const demo = await deps.startDemoServer();
      const { origin } = parseServerUrl(demo.baseUrl);
      const certificate = describeCertificate(new X509Certificate(demo.certPem).raw, false);
      if (!fingerprintsEqual(certificate.fingerprint256, demo.fingerprint256)) {
        throw new Error('The demo server reported a fingerprint that is not its certificate’s.');
      }
      const encryptedApiKey = await vault.encrypt(demo.apiKey);
      let server = servers.find((candidate) => candidate.isDemo);
      if (!server) {
        server = {
          id: deps.newId(),
          name: 'Demo server (simulator)',
          baseUrl: origin,
          isDemo: true,
        };
        servers.push(server);
      }
      server.baseUrl = origin;
      server.pinnedCertificate = pinOf(certificate);
      server.encryptedApiKey = encryptedApiKey;
      changed();
      return toServerSummary(server);
    },

    async openWebUi(id: string): Promise<void> {
      const { origin } = parseServerUrl(find(id).baseUrl);
      const url = new URL(origin);
      if (url.protocol !== 'https:') throw new Error('Only https addresses are opened.');
      await deps.openExternal(`${origin}/`);
    },
  };
}
