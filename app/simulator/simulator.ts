// The AFT! simulator: an HTTPS server that behaves as the documented AFT! REST API does
// (POST /v1/jobs, GET /v1/adm/jobs/{id}, X-API-Key with IP allow-lists), with fault
// injection for tests. Importable with no global state: the Electron app runs it in-process
// for its demo mode, and every test suite starts its own on a free port.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { createSelfSignedCertificate, fingerprint256Of } from './certificate.ts';
import { loadOrCreateApiKey, loadOrCreateCertificate, randomBase62 } from './data-dir.ts';
import { FaultBook, type FaultContext, type FaultRule } from './faults.ts';
import { displayAddress, parseAllowList, type AllowList } from './ip-allow-list.ts';
import {
  jobAt,
  jobInfoBody,
  type JobInfoShape,
  type JobRecord,
  type ParamValue,
  type SimulatedJob,
} from './jobs.ts';
import { DEMO_SCRIPTS, findScript, type ScriptDefinition, type TargetKind } from './scripts.ts';

export type { FaultEndpoint, FaultKind, FaultRule } from './faults.ts';
export type { JobInfoShape, ParamValue, SimulatedJob, SimulatedJobState } from './jobs.ts';
export type { ScriptDefinition, TargetKind } from './scripts.ts';
export { DEFAULT_QUEUED_MS, DEMO_SCRIPTS } from './scripts.ts';

export interface ApiKeyDefinition {
  key: string;
  /** IPv4/IPv6 addresses and CIDR networks. */
  allow: string[];
  label?: string;
}

/** One answered (or deliberately unanswered) request, for the CLI's request log. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** The HTTP status sent, or 'reset' when a fault dropped the connection. */
  outcome: number | 'reset';
  jobId?: string;
  script?: string;
}

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 44399; 0 picks a free port. */
  port?: number;
  /** Where the certificate and the default API key are kept between starts. */
  dataDir: string;
  /** Replace the kept certificate with a new one. */
  newCert?: boolean;
  /** Serve this certificate instead of the self-signed one (tests use a CA-issued one). */
  certificate?: { certPem: string; keyPem: string };
  /** Default DEMO_SCRIPTS. */
  scripts?: ScriptDefinition[];
  /** Default: one key, kept in dataDir, allowing loopback (127.0.0.0/8 and ::1). */
  keys?: ApiKeyDefinition[];
  /** Default 'flat'. */
  jobInfoShape?: JobInfoShape;
  /** Clock in ms since the epoch; job states are derived from it. Default Date.now. */
  now?: () => number;
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface SimulatorStats {
  /** Every POST /v1/jobs that reached the handler, except those reset before being read. */
  launchesReceived: number;
  jobsCreated: number;
  statusRequests: number;
  /** TCP connections accepted since start, including those reset by 'reset-on-connect'. */
  connections: number;
  /** Connections reset by a 'reset-on-connect' fault before the TLS handshake. */
  connectionsReset: number;
  openSockets: number;
  maxOpenSockets: number;
}

export interface Simulator {
  /**
   * https://127.0.0.1:<port>; with host 0.0.0.0 or :: it names the loopback (127.0.0.1 / [::1]),
   * which the certificate names and a client can connect to.
   */
  url: string;
  port: number;
  /** The default key (the first one when `keys` was given). */
  apiKey: string;
  /** The certificate served now (changes after `restart({ newCert: true })`). */
  readonly certPem: string;
  /** As node's X509Certificate.fingerprint256: colon-separated uppercase hex. */
  readonly fingerprint256: string;
  addKey(def: ApiKeyDefinition): void;
  removeKey(key: string): void;
  /** Adds a script, replacing one with the same name (case-insensitive) or ID. */
  addScript(def: ScriptDefinition): void;
  scripts(): ScriptDefinition[];
  /** Returns a function that removes the rule; throws for a rule that can never match as written. */
  injectFault(rule: FaultRule): () => void;
  clearFaults(): void;
  setJobInfoShape(shape: JobInfoShape): void;
  stats(): SimulatorStats;
  jobs(): SimulatedJob[];
  job(id: string): SimulatedJob | undefined;
  /**
   * Closes the listener and every socket, then listens on the same port with the same keys and
   * jobs, and the same certificate unless `newCert` (a "certificate changed" server; the new one
   * is kept in dataDir unless `certificate` was given).
   */
  restart(options?: { newCert?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 44399;
export const MAX_BODY_BYTES = 1024 * 1024;
const JOB_ID_LENGTH = 22;
const LOOPBACK = ['127.0.0.0/8', '::1'];
const DEFAULT_KEY_LABEL = 'Simulator default key';
const TARGET_KINDS: readonly TargetKind[] = ['scriptName', 'scriptId', 'filePath'];
const JSON_TYPE = 'application/json; charset=utf-8';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

interface KeyEntry {
  def: ApiKeyDefinition;
  allowList: AllowList;
}

type BodyResult = { kind: 'read'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function readBody(req: IncomingMessage, res: ServerResponse): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    return Promise.resolve({ kind: 'too-large' });
  }
  // The body is asked for only now, so a client that waits (curl does, for large bodies)
  // sends nothing that would then be refused.
  if (/100-continue/i.test(headerValue(req.headers.expect) ?? '')) res.writeContinue();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) {
        // Stop reading: nothing past the limit is buffered.
        req.off('data', onData);
        req.pause();
        resolve({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve({ kind: 'read', text: Buffer.concat(chunks).toString('utf8') }));
    req.on('close', () => resolve({ kind: 'aborted' }));
  });
}

function parseLaunchBody(text: string): {
  kind: TargetKind;
  value: string;
  params: Record<string, ParamValue>;
} {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `The request body is not valid JSON: ${(error as Error).message}.`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(
      400,
      `The request body must be a JSON object such as {"scriptName":"My Backup Job"}; got ${describeJsonValue(body)}.`,
    );
  }
  const fields = body as Record<string, unknown>;
  // A null target counts as absent: some clients write every optional field.
  const given = TARGET_KINDS.filter((kind) => fields[kind] !== undefined && fields[kind] !== null);
  if (given.length !== 1) {
    const which = given.length === 0 ? 'none was given' : `got ${given.join(' and ')}`;
    throw new HttpError(
      400,
      `Exactly one of scriptName, scriptId or filePath must be provided; ${which}.`,
    );
  }
  const kind = given[0] as TargetKind;
  const value = fields[kind];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HttpError(
      400,
      `${kind} must be a non-empty string; got ${describeJsonValue(value)}.`,
    );
  }
  return { kind, value, params: parseParams(fields.params) };
}

function parseParams(value: unknown): Record<string, ParamValue> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(
      400,
      `params must be a flat JSON object of names to values, such as {"destination":"/archive/2026"}; got ${describeJsonValue(value)}.`,
    );
  }
  const params: Record<string, ParamValue> = {};
  for (const [name, paramValue] of Object.entries(value)) {
    if (paramValue !== null && typeof paramValue === 'object') {
      throw new HttpError(
        400,
        `params must be a flat object: the value of "${name}" is ${describeJsonValue(paramValue)}; use a string, number, boolean or null.`,
      );
    }
    params[name] = paramValue as ParamValue;
  }
  return params;
}

function notFoundMessage(kind: TargetKind, value: string): string {
  switch (kind) {
    case 'scriptName':
      return `No script named "${value}" was found. Check the name in the AFT! web UI (Scripts).`;
    case 'scriptId':
      return `No script with ID "${value}" was found.`;
    case 'filePath':
      return `No script file "${value}" was found on the server.`;
  }
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * The host to put in the URL. A wildcard listen address is not one a client can connect to, and
 * the certificate names only 127.0.0.1, ::1 and localhost, so the matching loopback is used.
 */
export function urlHostFor(listenHost: string): string {
  if (listenHost === '0.0.0.0') return '127.0.0.1';
  if (listenHost === '::') return '[::1]';
  return listenHost.includes(':') ? `[${listenHost}]` : listenHost;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  let certificate =
    options.certificate ??
    (await loadOrCreateCertificate(options.dataDir, options.newCert ?? false));
  let fingerprint256 = fingerprint256Of(certificate.certPem);
  const keyDefinitions = options.keys ?? [
    { key: await loadOrCreateApiKey(options.dataDir), allow: LOOPBACK, label: DEFAULT_KEY_LABEL },
  ];

  const keys = new Map<string, KeyEntry>();
  const addKey = (def: ApiKeyDefinition): void => {
    const copy = { ...def, allow: [...def.allow] };
    keys.set(def.key, { def: copy, allowList: parseAllowList(copy.allow) });
  };
  keyDefinitions.forEach(addKey);

  let catalog: ScriptDefinition[] = [];
  const addScript = (def: ScriptDefinition): void => {
    catalog = catalog.filter(
      (script) => script.id !== def.id && script.name.toLowerCase() !== def.name.toLowerCase(),
    );
    catalog.push({ ...def, ...(def.log === undefined ? {} : { log: [...def.log] }) });
  };
  (options.scripts ?? DEMO_SCRIPTS).forEach(addScript);

  const jobRecords = new Map<string, JobRecord>();
  const faults = new FaultBook();
  let shape: JobInfoShape = options.jobInfoShape ?? 'flat';
  const counters = {
    launchesReceived: 0,
    jobsCreated: 0,
    statusRequests: 0,
    connections: 0,
    connectionsReset: 0,
  };
  let maxOpenSockets = 0;
  const sockets = new Set<Socket>();
  const pendingAnswers = new Set<NodeJS.Timeout>();

  const logRequest = (req: IncomingMessage, entry: Omit<RequestLogEntry, 'method' | 'path'>) => {
    options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', ...entry });
  };

  const reset = (
    req: IncomingMessage,
    entry: Omit<RequestLogEntry, 'method' | 'path' | 'outcome'> = {},
  ) => {
    logRequest(req, { outcome: 'reset', ...entry });
    req.socket.destroy();
  };

  /** Sends an answer, after a delay if a delay fault matches this request. */
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    context: FaultContext | undefined,
    status: number,
    body: string,
    headers: Record<string, string>,
    logged: Omit<RequestLogEntry, 'method' | 'path' | 'outcome'> = {},
  ): void => {
    const write = (): void => {
      if (res.writableEnded || req.socket.destroyed) return;
      res.writeHead(status, { 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
      logRequest(req, { outcome: status, ...logged });
    };
    const delay = context === undefined ? undefined : faults.take(context, ['delay']);
    if (delay === undefined) {
      write();
      return;
    }
    const timer = setTimeout(() => {
      pendingAnswers.delete(timer);
      write();
    }, delay.ms);
    pendingAnswers.add(timer);
  };

  const answerError = (
    req: IncomingMessage,
    res: ServerResponse,
    context: FaultContext | undefined,
    error: HttpError,
  ): void => {
    answer(req, res, context, error.status, JSON.stringify({ error: error.message }), {
      'Content-Type': JSON_TYPE,
      ...error.headers,
    });
  };

  const answerFaultStatus = (
    req: IncomingMessage,
    res: ServerResponse,
    context: FaultContext,
    fault: { status: number; body?: string; contentType?: string },
  ): void => {
    const body = fault.body ?? `${fault.status} ${STATUS_CODES[fault.status] ?? 'Error'}`;
    answer(req, res, context, fault.status, body, {
      'Content-Type': fault.contentType ?? 'text/plain; charset=utf-8',
    });
  };

  const authenticate = (req: IncomingMessage, key: string | undefined): KeyEntry => {
    if (key === undefined || key === '') {
      throw new HttpError(
        401,
        'Missing API key: send it in the X-API-Key header. Create one in the AFT! web UI under API Keys.',
      );
    }
    const entry = keys.get(key);
    if (entry === undefined) {
      throw new HttpError(
        401,
        'The API key was not recognised. Check the key, or create a new one in the AFT! web UI under API Keys.',
      );
    }
    const caller = req.socket.remoteAddress ?? '';
    if (!entry.allowList.allows(caller)) {
      throw new HttpError(
        403,
        `The caller's IP address ${displayAddress(caller)} is not on this API key's allow-list. Add it to the key's allow-list in the AFT! web UI (API Keys).`,
      );
    }
    return entry;
  };

  const jobInfoText = (
    record: JobRecord,
    broken: { kind: 'malformed-json' | 'no-id' } | undefined,
  ): string => {
    const text = JSON.stringify(jobInfoBody(jobAt(record, now()), shape, broken?.kind !== 'no-id'));
    // Cut mid-object: a truncated answer is the most common way JSON arrives broken.
    return broken?.kind === 'malformed-json' ? text.slice(0, Math.floor(text.length / 2)) : text;
  };

  const handleLaunch = async (
    req: IncomingMessage,
    res: ServerResponse,
    key: string | undefined,
  ): Promise<void> => {
    const early: FaultContext = { endpoint: 'launch', key, script: undefined };
    if (faults.take(early, ['reset-before-read'])) return reset(req);
    counters.launchesReceived += 1;
    const earlyStatus = faults.take(early, ['http-status']);
    if (earlyStatus) return answerFaultStatus(req, res, early, earlyStatus);
    try {
      const keyEntry = authenticate(req, key);
      const contentType = headerValue(req.headers['content-type']);
      if (!isJsonContentType(contentType)) {
        throw new HttpError(
          415,
          `The request body must be JSON: send the header Content-Type: application/json (got ${contentType === undefined ? 'no Content-Type' : `"${contentType}"`}).`,
        );
      }
      const body = await readBody(req, res);
      if (body.kind === 'aborted') return;
      if (body.kind === 'too-large') {
        throw new HttpError(413, `The request body is larger than the limit of 1 MiB.`, {
          Connection: 'close',
        });
      }
      const target = parseLaunchBody(body.text);
      const script = findScript(catalog, target.kind, target.value);
      if (script === undefined)
        throw new HttpError(404, notFoundMessage(target.kind, target.value));

      const context: FaultContext = { endpoint: 'launch', key, script: script.name };
      if (faults.take(context, ['reset-before-read'])) return reset(req, { script: script.name });
      const lateStatus = faults.take(context, ['http-status']);
      if (lateStatus) return answerFaultStatus(req, res, context, lateStatus);

      let id = randomBase62(JOB_ID_LENGTH);
      while (jobRecords.has(id)) id = randomBase62(JOB_ID_LENGTH);
      const record: JobRecord = {
        id,
        script,
        target: { kind: target.kind, value: target.value },
        params: target.params,
        createdAtMs: now(),
        ...(keyEntry.def.label === undefined ? {} : { apiKeyLabel: keyEntry.def.label }),
      };
      jobRecords.set(id, record);
      counters.jobsCreated += 1;

      if (faults.take(context, ['reset-after-read'])) {
        return reset(req, { jobId: id, script: script.name });
      }
      const broken = faults.take(context, ['malformed-json', 'no-id']);
      answer(
        req,
        res,
        context,
        201,
        jobInfoText(record, broken),
        { 'Content-Type': JSON_TYPE, Location: `/v1/adm/jobs/${id}` },
        { jobId: id, script: script.name },
      );
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answerError(req, res, early, error);
    }
  };

  const handleStatus = (
    req: IncomingMessage,
    res: ServerResponse,
    key: string | undefined,
    id: string,
  ): void => {
    const record = jobRecords.get(id);
    const context: FaultContext = { endpoint: 'status', key, script: record?.script.name };
    if (faults.take(context, ['reset-before-read'])) return reset(req, { jobId: id });
    counters.statusRequests += 1;
    const faultStatus = faults.take(context, ['http-status']);
    if (faultStatus) return answerFaultStatus(req, res, context, faultStatus);
    try {
      authenticate(req, key);
      const refusal = faults.take(context, ['status-refuses-key']);
      if (refusal) {
        const messages = {
          401: 'This API key cannot read job status: an administrator session is required.',
          403: 'This API key is not allowed to read job status.',
          404: `No job with ID "${id}" is visible to this API key.`,
        };
        throw new HttpError(refusal.status, messages[refusal.status]);
      }
      if (record === undefined) throw new HttpError(404, `No job with ID "${id}" was found.`);
      if (faults.take(context, ['reset-after-read'])) return reset(req, { jobId: id });
      const broken = faults.take(context, ['malformed-json', 'no-id']);
      answer(
        req,
        res,
        context,
        200,
        jobInfoText(record, broken),
        { 'Content-Type': JSON_TYPE },
        { jobId: id, script: record.script.name },
      );
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      answerError(req, res, context, error);
    }
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'https://simulator.invalid').pathname;
    const key = headerValue(req.headers['x-api-key']);
    if (path === '/v1/jobs') {
      if (req.method === 'POST') return handleLaunch(req, res, key);
      return answerError(
        req,
        res,
        undefined,
        new HttpError(405, `${req.method} is not allowed on /v1/jobs: use POST.`, {
          Allow: 'POST',
        }),
      );
    }
    const statusPath = /^\/v1\/adm\/jobs\/([^/]+)$/.exec(path);
    if (statusPath) {
      if (req.method !== 'GET') {
        return answerError(
          req,
          res,
          undefined,
          new HttpError(405, `${req.method} is not allowed on ${path}: use GET.`, {
            Allow: 'GET',
          }),
        );
      }
      let id: string;
      try {
        id = decodeURIComponent(statusPath[1] ?? '');
      } catch {
        return answerError(
          req,
          res,
          undefined,
          new HttpError(404, 'Malformed job ID in the path.'),
        );
      }
      return handleStatus(req, res, key, id);
    }
    answerError(
      req,
      res,
      undefined,
      new HttpError(
        404,
        `No such endpoint: ${req.method} ${path}. This API has POST /v1/jobs and GET /v1/adm/jobs/{id}.`,
      ),
    );
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handleRequest(req, res).catch((error: unknown) => {
      // A bug in the simulator must still answer, and must not take the host process down.
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': JSON_TYPE });
        res.end(JSON.stringify({ error: `Simulator error: ${(error as Error).message}` }));
      } else {
        res.destroy();
      }
    });
  };
  const server = https.createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    onRequest,
  );
  // Handling `Expect: 100-continue` ourselves: readBody sends the 100 when it wants the body.
  server.on('checkContinue', onRequest);
  // Longer than a client's usual idle time, so reused connections are not closed under it.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.on('connection', (socket: Socket) => {
    counters.connections += 1;
    if (faults.takeConnectionReset()) {
      counters.connectionsReset += 1;
      // An RST rather than a FIN: what a crashed server or a dropping firewall sends.
      socket.resetAndDestroy();
      return;
    }
    sockets.add(socket);
    maxOpenSockets = Math.max(maxOpenSockets, sockets.size);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that fails the TLS handshake (e.g. it does not trust the certificate) is its problem.
  server.on('tlsClientError', () => undefined);

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      server.listen(port, host, () => {
        server.off('error', onError);
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });

  const stopListening = async (): Promise<void> => {
    pendingAnswers.forEach(clearTimeout);
    pendingAnswers.clear();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    const socketsClosed = [...sockets].map(
      (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    sockets.forEach((socket) => socket.destroy());
    await Promise.all([serverClosed, ...socketsClosed]);
  };

  const port = await listen(options.port ?? DEFAULT_PORT);
  const urlHost = urlHostFor(host);
  const defaultKey = keyDefinitions[0]?.key ?? '';
  let closed = false;

  return {
    url: `https://${urlHost}:${port}`,
    port,
    apiKey: defaultKey,
    get certPem() {
      return certificate.certPem;
    },
    get fingerprint256() {
      return fingerprint256;
    },
    addKey,
    removeKey: (key) => {
      keys.delete(key);
    },
    addScript,
    scripts: () => catalog.map((script) => ({ ...script })),
    injectFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setJobInfoShape: (next) => {
      shape = next;
    },
    stats: () => ({
      ...counters,
      openSockets: sockets.size,
      maxOpenSockets,
    }),
    jobs: () => [...jobRecords.values()].map((record) => jobAt(record, now())),
    job: (id) => {
      const record = jobRecords.get(id);
      return record === undefined ? undefined : jobAt(record, now());
    },
    restart: async (restartOptions = {}) => {
      await stopListening();
      if (restartOptions.newCert) {
        certificate =
          options.certificate === undefined
            ? await loadOrCreateCertificate(options.dataDir, true)
            : createSelfSignedCertificate();
        fingerprint256 = fingerprint256Of(certificate.certPem);
        server.setSecureContext({ cert: certificate.certPem, key: certificate.keyPem });
      }
      await listen(port);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await stopListening();
    },
  };
}
